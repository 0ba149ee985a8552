using Ledgerlight.Receivables.InvoiceDocuments;
using Ledgerlight.Tests.Infrastructure;
using MimeKit;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Invoices;

/// <summary>
/// The MailKit sender against a real SMTP server process: plain, STARTTLS and implicit TLS (465-style), the certificate
/// check, and the .eml outbox when no host is configured. Messages are composed as the job handlers compose them.
/// </summary>
public class SmtpTransportTests
{
    static MimeMessage Sample(string to) => EmailComposer.Compose("billing@acme.example", [to], [], "ar@acme.example", "Invoice INV-1 from Acme",
        new EmailContent("Dear customer,", ["Please find attached invoice INV-1 over 12.00 USD."], "Acme", [("Invoice number", "INV-1")]),
        new EmailAttachment("invoice-INV-1.pdf", "%PDF-1.7 test"u8.ToArray()));

    static SmtpSettings To(SmtpSink sink, SmtpSecurity security, SmtpSink.Tls? pinned = null) => new()
    {
        Host = "127.0.0.1", Port = sink.Port, Username = "ledgerlight", Password = "secret", From = "billing@acme.example", Security = security,
        Timeout = TimeSpan.FromSeconds(10),
        CertificateValidation = pinned is null ? null : (_, cert, _, _) => cert?.GetCertHashString() == pinned.Thumbprint,
    };

    async Task<SmtpSink.Message> SendThrough(SmtpSink.Tls? tls, SmtpSecurity security)
    {
        await using var sink = await SmtpSink.StartAsync(tls: tls);
        var to = $"{security}@customer.example".ToLowerInvariant();
        await new SmtpEmailSender(To(sink, security, tls)).SendAsync(Sample(to), CancellationToken.None);
        var message = Assert.Single(sink.Messages());
        Assert.Equal([to], message.To);
        return message;
    }

    [Fact]
    public async Task Plain_smtp_delivers_a_multipart_message_with_the_attachment()
    {
        var message = await SendThrough(null, SmtpSecurity.None);
        Assert.False(message.Secure);
        var (text, html, attachments) = InvoiceKit.Mime(message);
        Assert.Contains("Please find attached invoice INV-1", text);
        Assert.Contains("<td", html);
        Assert.Equal("invoice-INV-1.pdf", Assert.Single(attachments).FileName);
        Assert.Contains("Reply-To: ar@acme.example", message.Raw);
    }

    [Fact]
    public async Task Starttls_upgrades_the_connection_before_the_message_is_sent() =>
        Assert.True((await SendThrough(SmtpSink.Tls.SelfSigned("starttls"), SmtpSecurity.StartTls)).Secure);

    [Fact]
    public async Task Implicit_tls_on_connect_is_supported() =>
        Assert.True((await SendThrough(SmtpSink.Tls.SelfSigned("ssl"), SmtpSecurity.Ssl)).Secure);

    [Fact]
    public async Task An_untrusted_certificate_is_refused_and_starttls_is_required_when_asked_for()
    {
        await using (var tls = await SmtpSink.StartAsync(tls: SmtpSink.Tls.SelfSigned("ssl")))
        {
            var refused = await Assert.ThrowsAsync<MailKit.Security.SslHandshakeException>(() =>
                new SmtpEmailSender(To(tls, SmtpSecurity.Ssl)).SendAsync(Sample("x@customer.example"), CancellationToken.None));
            Assert.Contains("self-signed", refused.Message);
            Assert.Empty(tls.Messages());
        }
        await using var plain = await SmtpSink.StartAsync();
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            new SmtpEmailSender(To(plain, SmtpSecurity.StartTls)).SendAsync(Sample("x@customer.example"), CancellationToken.None));
        Assert.Empty(plain.Messages());
    }

    [Fact]
    public async Task Without_a_host_the_message_lands_in_the_outbox_as_an_eml_file()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "ledgerlight-test-outbox", Guid.NewGuid().ToString("N"));
        await new SmtpEmailSender(new SmtpSettings { PickupDirectory = outbox }).SendAsync(Sample("out@customer.example"), CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        var (text, _, attachments) = InvoiceKit.Mime(new SmtpSink.Message(["out@customer.example"], await File.ReadAllTextAsync(file)));
        Assert.Contains("INV-1", text);
        Assert.Single(attachments);
        Directory.Delete(outbox, recursive: true);
    }

    [Theory]
    [InlineData(null, null, 25, SmtpSecurity.None)]
    [InlineData(null, null, 465, SmtpSecurity.Ssl)]
    [InlineData(null, "true", 587, SmtpSecurity.StartTls)] // the old switch meant what System.Net.Mail did: STARTTLS
    [InlineData(null, "false", 465, SmtpSecurity.None)]
    [InlineData("starttls", "false", 587, SmtpSecurity.StartTls)]
    [InlineData("SSL", null, 2465, SmtpSecurity.Ssl)]
    [InlineData("none", "true", 25, SmtpSecurity.None)]
    [InlineData("auto", null, 25, SmtpSecurity.Auto)]
    public void Security_comes_from_the_new_setting_then_the_old_one_then_the_port(string? security, string? ssl, int port, SmtpSecurity expected) =>
        Assert.Equal(expected, SmtpSettings.ParseSecurity(security, ssl, port));

    [Fact]
    public void An_unknown_security_value_stops_start_up_with_a_clear_message() =>
        Assert.Contains("none, starttls, ssl or auto", Assert.Throws<InvalidOperationException>(() => SmtpSettings.ParseSecurity("tls1.3", null, 25)).Message);
}
