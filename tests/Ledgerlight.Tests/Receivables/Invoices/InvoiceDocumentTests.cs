using System.Text;
using System.Text.Json.Nodes;
using Ledgerlight.Documents.Pdf;
using Ledgerlight.Hosting;
using Ledgerlight.Tests.Documents.Pdf;
using Ledgerlight.Receivables.InvoiceDocuments;
using Ledgerlight.Storage.Jobs;
using Ledgerlight.Tests.Infrastructure;
using MimeKit;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Invoices;

/// <summary>Shared steps: a customer, a product and an opened invoice.</summary>
public static class InvoiceKit
{
    public static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    public static async Task<string> Customer(ApiClient api, object body) => Id((await api.PostAsync("/v1/customers", body)).AssertOk());

    public static async Task<JsonNode> Invoice(ApiClient api, string? customer, bool open = true)
    {
        var product = Id((await api.PostAsync("/v1/products", new { name = "Consulting hour", pricings = new[] { new { currency = "USD", amount = 12_550 } } })).AssertOk());
        var invoice = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, invoiceDate = "2026-03-02", netTerms = 30, areLinesWithTax = false, description = "March work",
            lines = new object[] { new { productId = product, quantity = 2, discount = new { type = "AMOUNT", value = 1_000 } } },
        })).AssertOk();
        return open ? (await api.PostAsync($"/v1/invoice-receivables/{Id(invoice)}/open")).AssertOk() : invoice;
    }

    public static async Task Eventually(Func<Task<bool>> condition, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"condition not reached in {seconds} s");
            await Task.Delay(100);
        }
    }

    public static ServerOptions FastJobs(ServerOptions o, int smtpPort) => o with
    {
        Jobs = new JobRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(50), Backoff = _ => TimeSpan.FromMilliseconds(300) },
        Smtp = new SmtpSettings { Host = "127.0.0.1", Port = smtpPort, Username = "ledgerlight", Password = "secret", From = "billing@acme.example", Timeout = TimeSpan.FromSeconds(10) },
    };

    /// <summary>
    /// Parses a delivered message with MimeKit and checks its shape: a text/plain and a text/html part in a
    /// multipart/alternative (inside multipart/mixed when a file is attached). Answers the text, the HTML and the attachments.
    /// </summary>
    public static (string Text, string Html, IReadOnlyList<MimePart> Attachments) Mime(SmtpSink.Message message)
    {
        var mime = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message.Raw)));
        var attachments = mime.Attachments.OfType<MimePart>().ToList();
        var alternative = Assert.IsType<MultipartAlternative>(attachments.Count == 0 ? mime.Body : Assert.IsType<Multipart>(mime.Body)[0]!);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        if (attachments.Count > 0) Assert.Equal("multipart/mixed", mime.Body!.ContentType.MimeType);
        return (mime.TextBody ?? "", mime.HtmlBody ?? "", attachments);
    }

    /// <summary>The attachment's bytes, decoded.</summary>
    public static byte[] Content(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return bytes.ToArray();
    }

    public static async Task<(string Status, int Attempts, string? Error)> EmailState(ApiServer server, string emailId)
    {
        await using var cmd = server.Db.CreateCommand("SELECT status, attempts, last_error FROM invoice_receivable_emails WHERE id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.Parse(emailId) });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2));
    }
}

public class InvoicePdfTests
{
    [Theory]
    [InlineData(123_456L, "USD", "1,234.56 USD")]
    [InlineData(123_456L, "JPY", "123,456 JPY")]
    [InlineData(123_456L, "KWD", "123.456 KWD")]
    [InlineData(5L, "EUR", "0.05 EUR")]
    public void Money_uses_the_currency_exponent(long minor, string currency, string expected) =>
        Assert.Equal(expected, DocumentText.Money(minor, currency));

    /// <summary>The PDF's text via poppler's pdftotext (installed by .ci/run).</summary>
    public static string PdfText(byte[] pdf) => PdfSamples.Text(pdf);
}

public class InvoiceDocumentApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Opening_an_invoice_without_a_customer_with_shouldSendEmail_is_refused_not_a_500()
    {
        // Found by the generated-input test: the customer's recipient list was read through a LEFT JOIN as null.
        var api = server.Admin;
        var draft = await InvoiceKit.Invoice(api, customer: null, open: false);
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/open", new { shouldSendEmail = true })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}")).AssertOk()["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generating_answers_ready_with_a_signed_url_to_the_pdf_via_both_paths()
    {
        var api = server.Admin;
        var invoice = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Docs Customer", address = new { street = "5 Elm Rd", city = "Springfield", country = "US" } }));
        var id = InvoiceKit.Id(invoice);
        var doc = (await api.PostAsync($"/v1/invoice-receivables/{id}/document")).AssertOk();
        Assert.Equal("READY", doc["status"]!.GetValue<string>());
        Assert.Equal(id, doc["invoiceReceivableId"]!.GetValue<string>());
        using var http = new HttpClient();
        var pdf = await http.GetByteArrayAsync(doc["url"]!.GetValue<string>());
        var text = InvoicePdfTests.PdfText(pdf);
        Assert.Contains($"Invoice {invoice["invoiceNumber"]!.GetValue<string>()}", text);
        Assert.Contains("Docs Customer", text);
        Assert.Contains("5 Elm Rd", text);
        Assert.Contains("241.00 USD", text); // 2 × 125.50 − 10.00

        // again through the alias: same document id, a fresh file
        var again = (await api.PostAsync($"/v1/invoices/{id}/document")).AssertOk();
        Assert.Equal(InvoiceKit.Id(doc), InvoiceKit.Id(again));
        Assert.NotEqual(doc["url"]!.GetValue<string>(), again["url"]!.GetValue<string>());
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await http.GetByteArrayAsync(again["url"]!.GetValue<string>()), 0, 4));
    }

    [Fact]
    public async Task The_pdf_prints_unicode_parties_the_tax_rate_summary_and_the_entitys_bank_account()
    {
        var tenant = await server.CreateTenantAsync("Αθηναϊκή Εταιρεία Α.Ε.", "EUR");
        var api = tenant.Admin;
        (await api.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = tenant.EntityId, name = "Receipts EUR", bankProvider = "OTHER", currency = "EUR", bankCountry = "DE",
            ledgerAccount = new { code = 120_100 }, iban = "DE89370400440532013000", bic = "COBADEFFXXX", bankName = "Commerzbank",
        })).AssertOk();
        var standard = (await api.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(t => t!["code"]!.GetValue<string>() == "STANDARD")!["id"]!.GetValue<string>();
        var customer = await InvoiceKit.Customer(api, new { name = "ООО Ромашка", address = new { street = "ул. Тверская, д. 7", city = "Москва", country = "RU" } });
        var product = InvoiceKit.Id((await api.PostAsync("/v1/products", new { name = "Zażółć gęślą jaźń", pricings = new[] { new { currency = "EUR", amount = 10_000 } } })).AssertOk());
        var draft = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, invoiceDate = "2026-03-02", netTerms = 14, areLinesWithTax = false, currency = "EUR",
            lines = new object[] { new { productId = product, quantity = 3, taxCodeId = standard } },
        })).AssertOk();
        var invoice = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/open")).AssertOk();
        var doc = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(invoice)}/document")).AssertOk();
        using var http = new HttpClient();
        var text = InvoicePdfTests.PdfText(await http.GetByteArrayAsync(doc["url"]!.GetValue<string>()));
        foreach (var expected in new[] { "Αθηναϊκή Εταιρεία Α.Ε.", "ООО Ромашка", "ул. Тверская, д. 7", "Москва", "Zażółć gęślą jaźń", "20%",
                     "300.00 EUR", "60.00 EUR", "360.00 EUR", "2026-03-16", "Commerzbank", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX",
                     invoice["invoiceNumber"]!.GetValue<string>() })
            Assert.Contains(expected, text);
    }

    [Fact]
    public async Task Drafts_render_as_previews_archived_is_409_unknown_404_viewer_403()
    {
        var api = server.Admin;
        var draft = await InvoiceKit.Invoice(api, null, open: false);
        var doc = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/document")).AssertOk();
        using var http = new HttpClient();
        Assert.Contains("Draft invoice", InvoicePdfTests.PdfText(await http.GetByteArrayAsync(doc["url"]!.GetValue<string>())));
        (await server.Viewer.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/document")).AssertError(403, "FORBIDDEN");
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/archive")).AssertOk();
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/document")).AssertError(409, "CONFLICT");
        (await api.PostAsync($"/v1/invoice-receivables/{Guid.NewGuid()}/document")).AssertError(404, "NOT_FOUND");
        var other = await server.CreateTenantAsync("Other Docs Co", "USD");
        var theirs = await InvoiceKit.Invoice(other.Admin, await InvoiceKit.Customer(other.Admin, new { name = "Their Customer" }));
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(theirs)}/document")).AssertError(404, "NOT_FOUND");
    }
}

/// <summary>A server whose SMTP settings point at a real SMTP sink on loopback.</summary>
public sealed class EmailServer : ApiServer, IAsyncLifetime
{
    public SmtpSink Sink { get; private set; } = null!;

    public new async Task InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync();
        await base.InitializeAsync();
    }

    protected override ServerOptions Customize(ServerOptions options) => InvoiceKit.FastJobs(options, Sink.Port);

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}

public class InvoiceEmailTests(EmailServer server) : IClassFixture<EmailServer>
{
    async Task<SmtpSink.Message> Arrived(Func<SmtpSink.Message, bool> which)
    {
        SmtpSink.Message? found = null;
        await InvoiceKit.Eventually(() => Task.FromResult((found = server.Sink.Messages().FirstOrDefault(which)) is not null));
        return found!;
    }

    [Fact]
    public async Task Sending_delivers_to_the_requested_recipients_with_the_pdf_attached_and_records_it()
    {
        var api = server.Admin;
        var invoice = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Mail Customer", email = "fallback@mail.example" }));
        var number = invoice["invoiceNumber"]!.GetValue<string>();
        var sent = (await api.PostAsync($"/v1/invoices/{InvoiceKit.Id(invoice)}/send-email", new
        {
            recipients = new[] { "ap@mail.example" }, cc = new[] { "cfo@mail.example" }, replyTo = "ar@acme.example", customMessage = "Thanks for March!",
        })).AssertOk();
        Assert.Equal("QUEUED", sent["status"]!.GetValue<string>());
        var message = await Arrived(m => m.To.Contains("ap@mail.example"));
        Assert.Equal(["ap@mail.example", "cfo@mail.example"], message.To.Order());
        Assert.Contains($"Subject: Invoice {number} from Acme Test Corp", message.Raw);
        Assert.Contains("Reply-To: ar@acme.example", message.Raw);
        Assert.Contains("application/pdf", message.Raw);
        Assert.Contains($"invoice-{number}.pdf", message.Raw);
        Assert.Contains("JVBERi", message.Raw); // base64 of "%PDF"
        var (text, html, attachments) = InvoiceKit.Mime(message);
        Assert.Contains("Thanks for March!", text);
        Assert.Contains("Thanks for March!", html);
        Assert.Contains($"Please find attached invoice {number} over 241.00 USD", text);
        Assert.Contains("<table", html);
        var pdf = Assert.Single(attachments);
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.Equal($"invoice-{number}.pdf", pdf.FileName);
        Assert.True(pdf.IsAttachment);
        var printed = PdfSamples.Text(InvoiceKit.Content(pdf));
        Assert.Contains(number, printed);
        Assert.Contains("Mail Customer", printed);
        Assert.Contains("241.00 USD", printed);
        await InvoiceKit.Eventually(async () => (await InvoiceKit.EmailState(server, InvoiceKit.Id(sent))).Status == "SENT");
        Assert.Equal(("SENT", 1, (string?)null), await InvoiceKit.EmailState(server, InvoiceKit.Id(sent)));
    }

    [Fact]
    public async Task Recipients_default_to_the_customers_recipient_emails_then_its_email()
    {
        var api = server.Admin;
        var listed = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new
        {
            name = "Listed Customer", email = "main@listed.example", recipientEmails = new[] { "billing@listed.example" }, ccEmails = new[] { "boss@listed.example" },
        }));
        var a = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(listed)}/send-email", new { subject = "Your invoice " + listed["invoiceNumber"] })).AssertOk();
        Assert.Equal(["billing@listed.example"], a["recipients"]!.AsArray().Select(x => x!.GetValue<string>()));
        var m = await Arrived(x => x.To.Contains("billing@listed.example"));
        Assert.Equal(["billing@listed.example", "boss@listed.example"], m.To.Order());
        Assert.Contains("Subject: Your invoice " + listed["invoiceNumber"], m.Raw);

        var plain = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Plain Customer", email = "only@plain.example" }));
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(plain)}/send-email")).AssertOk();
        await Arrived(x => x.To.SequenceEqual(["only@plain.example"]));
    }

    [Fact]
    public async Task Opening_with_shouldSendEmail_queues_the_invoice_email()
    {
        var api = server.Admin;
        var draft = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Open And Send", email = "ap@openandsend.example" }), open: false);
        var opened = (await api.PostAsync($"/v1/invoices/{InvoiceKit.Id(draft)}/open", new { shouldSendEmail = true })).AssertOk();
        Assert.Equal("OPEN", opened["state"]!.GetValue<string>());
        var m = await Arrived(x => x.To.SequenceEqual(["ap@openandsend.example"]));
        Assert.Contains($"Invoice {opened["invoiceNumber"]}", m.Raw);

        // Nobody to send to: refused before opening, the invoice stays a draft.
        var nobody = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Unreachable" }), open: false);
        (await api.PostAsync($"/v1/invoices/{InvoiceKit.Id(nobody)}/open", new { shouldSendEmail = true })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/invoices/{InvoiceKit.Id(nobody)}")).AssertOk()["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Opening_with_shouldSendEmail_sends_the_email_emailInfo_composes_even_without_stored_addresses()
    {
        var api = server.Admin;
        // The customer has no stored address: emailInfo's recipients are enough, and everything else in it is used.
        var draft = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Composed Open" }), open: false);
        var opened = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/open", new
        {
            shouldSendEmail = true,
            emailInfo = new
            {
                recipients = new[] { "ap@composed.example" }, cc = new[] { "cfo@composed.example" }, subject = "Your March invoice",
                replyTo = "ar@acme.example", customMessage = "Thanks for opening March with us!",
            },
        })).AssertOk();
        Assert.Equal("OPEN", opened["state"]!.GetValue<string>());
        var m = await Arrived(x => x.To.Contains("ap@composed.example"));
        Assert.Equal(["ap@composed.example", "cfo@composed.example"], m.To.Order());
        Assert.Contains("Subject: Your March invoice", m.Raw);
        Assert.Contains("Reply-To: ar@acme.example", m.Raw);
        var (text, _, _) = InvoiceKit.Mime(m);
        Assert.Contains("Thanks for opening March with us!", text);

        // A stored address is not used when emailInfo names the recipients.
        var stored = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Stored Open", email = "stored@composed.example" }), open: false);
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(stored)}/open",
            new { shouldSendEmail = true, emailInfo = new { recipients = new[] { "chosen@composed.example" } } })).AssertOk();
        await Arrived(x => x.To.SequenceEqual(["chosen@composed.example"]));
        Assert.DoesNotContain(server.Sink.Messages(), x => x.To.Contains("stored@composed.example"));
    }

    [Fact]
    public async Task Post_and_send_of_a_customer_credit_delivers_its_email()
    {
        var api = server.Admin;
        var customer = await InvoiceKit.Customer(api, new { name = "Credited Customer" });
        var product = InvoiceKit.Id((await api.PostAsync("/v1/products", new { name = "Refunded hour", pricings = new[] { new { currency = "USD", amount = 4_000 } } })).AssertOk());
        var credit = InvoiceKit.Id((await api.PostAsync("/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());
        var posted = await api.PostAsync($"/v1/customer-credits/{credit}/post-and-send-email",
            new { emailInfo = new { recipients = new[] { "refunds@credited.example" }, customMessage = "Sorry for the trouble." } });
        Assert.Equal("POSTED", posted.AssertOk()["status"]!.GetValue<string>());
        var m = await Arrived(x => x.To.SequenceEqual(["refunds@credited.example"]));
        Assert.Contains("Subject: Credit note CN-", m.Raw);
        Assert.Contains("Sorry for the trouble.", m.Raw);
        var (text, html, attachments) = InvoiceKit.Mime(m);
        Assert.Contains("Sorry for the trouble.", html);
        Assert.Contains("Dear Credited Customer,", text);
        var pdf = Assert.Single(attachments);
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.StartsWith("credit-note-CN-", pdf.FileName);
        var printed = PdfSamples.Text(InvoiceKit.Content(pdf));
        Assert.Contains("CREDIT NOTE", printed);
        Assert.Contains("Credited Customer", printed);
        Assert.Contains("Refunded hour", printed);
        Assert.Contains("Total credit", printed);
    }

    [Fact]
    public async Task No_recipient_is_422_a_draft_is_409_a_bad_address_is_400()
    {
        var api = server.Admin;
        var nobody = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Nobody Customer" }));
        var error = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(nobody)}/send-email", new { })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains("recipients", error.ToJsonString());
        var draft = await InvoiceKit.Invoice(api, null, open: false);
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(draft)}/send-email", new { recipients = new[] { "a@b.example" } })).AssertError(409, "CONFLICT");
        (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(nobody)}/send-email", new { recipients = new[] { "not-an-address" } })).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(nobody)}/send-email", new { recipients = new[] { "a@b.example" } })).AssertError(403, "FORBIDDEN");
        (await api.PostAsync($"/v1/invoice-receivables/{Guid.NewGuid()}/send-email", new { recipients = new[] { "a@b.example" } })).AssertError(404, "NOT_FOUND");
    }
}

/// <summary>Caller-composed e-mails are bounded: addresses, subject, reply-to, message; no header injection.</summary>
public class EmailLimitTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string[] Addresses(int n) => Enumerable.Range(1, n).Select(i => $"r{i}@many.example").ToArray();

    static string PathOf(JsonNode error) => string.Join(".", error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));

    [Theory]
    [InlineData("a@b.example", true)]
    [InlineData("first.last+tag@sub.domain.example", true)]
    [InlineData("a@b.example, c@d.example", false)]
    [InlineData("a@b.example,c@d.example", false)]
    [InlineData("Mallory <a@b.example>", false)]
    [InlineData("a@b.example\r\nBcc: victim@else.example", false)]
    [InlineData("a@b", false)]
    [InlineData("@b.example", false)]
    public void A_single_plain_address_only(string address, bool ok) =>
        Assert.Equal(ok, EmailLimits.IsSingleAddress(address));

    [Fact]
    public void Limits_are_reported_with_their_paths()
    {
        var v = new Ledgerlight.Platform.Validation();
        EmailLimits.Validate(v, "Invoice\r\nBcc: victim@else.example", "a@b.example; c@d.example", Addresses(8), Addresses(3), new string('x', 5_001), "emailInfo");
        var paths = Assert.Throws<Ledgerlight.Platform.ApiException>(() => v.ThrowIfAny()).Errors.Select(e => string.Join(".", e.Path!)).ToHashSet();
        Assert.Equal(new HashSet<string> { "emailInfo.subject", "emailInfo.replyTo", "emailInfo.customMessage", "emailInfo.recipients" }, paths);
        var fine = new Ledgerlight.Platform.Validation();
        EmailLimits.Validate(fine, new string('s', 200), "reply@b.example", Addresses(7), Addresses(3), new string('x', 5_000));
        Assert.False(fine.HasErrors);
    }

    [Fact]
    public async Task Send_email_and_post_and_send_refuse_too_many_recipients_injected_headers_and_bad_reply_to_and_queue_nothing()
    {
        var api = server.Admin;
        var invoice = InvoiceKit.Id(await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Limited", email = "ap@limited.example" })));
        async Task<JsonNode> Refused(object body) =>
            (await api.PostAsync($"/v1/invoice-receivables/{invoice}/send-email", body)).AssertError(400, "BAD_REQUEST");
        Assert.Equal("recipients", PathOf(await Refused(new { recipients = Addresses(11) })));
        Assert.Equal("recipients", PathOf(await Refused(new { recipients = Addresses(6), cc = Addresses(5) })));
        Assert.Equal("subject", PathOf(await Refused(new { subject = "Invoice\r\nBcc: victim@else.example" })));
        Assert.Equal("subject", PathOf(await Refused(new { subject = new string('s', 201) })));
        Assert.Equal("replyTo", PathOf(await Refused(new { replyTo = "a@b.example, c@d.example" })));
        Assert.Equal("replyTo", PathOf(await Refused(new { replyTo = "a@b.example\r\nBcc: victim@else.example" })));
        Assert.Equal("cc.0", PathOf(await Refused(new { cc = new[] { "Mallory <m@evil.example>" } })));
        Assert.Equal("customMessage", PathOf(await Refused(new { customMessage = new string('m', 5_001) })));
        await using (var cmd = server.Db.CreateCommand("SELECT count(*) FROM invoice_receivable_emails WHERE invoice_receivable_id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.Parse(invoice) });
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }
        (await api.PostAsync($"/v1/invoice-receivables/{invoice}/send-email", new { recipients = Addresses(7), cc = Addresses(3), replyTo = "reply@limited.example" })).AssertOk();

        var customer = await InvoiceKit.Customer(api, new { name = "Credited Limited" });
        var product = InvoiceKit.Id((await api.PostAsync("/v1/products", new { name = "Refund", pricings = new[] { new { currency = "USD", amount = 100 } } })).AssertOk());
        var credit = InvoiceKit.Id((await api.PostAsync("/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());
        var error = (await api.PostAsync($"/v1/customer-credits/{credit}/post-and-send-email", new { emailInfo = new { recipients = Addresses(11) } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal("emailInfo.recipients", PathOf(error));
        error = (await api.PostAsync($"/v1/customer-credits/{credit}/post-and-send-email",
            new { emailInfo = new { recipients = Addresses(1), replyTo = "x@y.example\nBcc: victim@else.example", subject = "A\nB" } })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(new[] { "emailInfo.subject", "emailInfo.replyTo" }, error["errors"]!.AsArray().Select(e => string.Join(".", e!["path"]!.AsArray().Select(p => p!.ToString()))));
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/customer-credits/{credit}")).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Opening_refuses_an_emailInfo_past_the_limits_and_stays_a_draft()
    {
        var api = server.Admin;
        var draft = InvoiceKit.Id(await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Open Limited", email = "ap@limited.example" }), open: false));
        async Task<JsonNode> Refused(object emailInfo) =>
            (await api.PostAsync($"/v1/invoice-receivables/{draft}/open", new { shouldSendEmail = true, emailInfo })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("emailInfo.recipients", PathOf(await Refused(new { recipients = Addresses(11) })));
        Assert.Equal("emailInfo.subject", PathOf(await Refused(new { subject = "Invoice\r\nBcc: victim@else.example" })));
        Assert.Equal("emailInfo.replyTo", PathOf(await Refused(new { replyTo = "a@b.example, c@d.example" })));
        Assert.Equal("emailInfo.cc.0", PathOf(await Refused(new { cc = new[] { "Mallory <m@evil.example>" } })));
        Assert.Equal("emailInfo.customMessage", PathOf(await Refused(new { customMessage = new string('m', 5_001) })));
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/invoice-receivables/{draft}")).AssertOk()["state"]!.GetValue<string>());
    }
}

/// <summary>A server whose SMTP server is down (421) until a test starts a sink on its port.</summary>
public sealed class ClosedSmtpServer : ApiServer
{
    public SmtpSink.Refusing Down { get; } = new();
    public int SmtpPort => Down.Port;

    // Two quick retries, then 3 s apart: the job's 8 attempts must outlast starting the sink on a loaded
    // machine, or the e-mail fails for good before the server is back (what made this test flaky).
    protected override ServerOptions Customize(ServerOptions options) => InvoiceKit.FastJobs(options, SmtpPort) with
    {
        Jobs = new JobRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(50), Backoff = n => TimeSpan.FromMilliseconds(n < 2 ? 300 : 3000) },
    };
}

public class InvoiceEmailRetryTests(ClosedSmtpServer server) : IClassFixture<ClosedSmtpServer>
{
    [Fact]
    public async Task A_failing_smtp_server_is_retried_and_recorded_and_the_mail_goes_out_once_it_is_back()
    {
        var api = server.Admin;
        var invoice = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Retry Customer", email = "retry@customer.example" }));
        var sent = (await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(invoice)}/send-email")).AssertOk();
        var emailId = InvoiceKit.Id(sent);
        await InvoiceKit.Eventually(async () => (await InvoiceKit.EmailState(server, emailId)).Attempts >= 2);
        var (status, _, error) = await InvoiceKit.EmailState(server, emailId);
        Assert.Equal("RETRYING", status);
        Assert.False(string.IsNullOrEmpty(error));

        server.Down.Dispose();
        await using var sink = await SmtpSink.StartAsync(server.SmtpPort);
        await InvoiceKit.Eventually(() => Task.FromResult(sink.Messages().Any(m => m.To.Contains("retry@customer.example"))));
        await InvoiceKit.Eventually(async () => (await InvoiceKit.EmailState(server, emailId)).Status == "SENT");
        var after = await InvoiceKit.EmailState(server, emailId);
        Assert.True(after.Attempts >= 3);
        Assert.Null(after.Error);
        Assert.Single(sink.Messages());
    }
}

/// <summary>A server whose SMTP server accepts connections and never answers.</summary>
public sealed class HungSmtpServer : ApiServer, IAsyncLifetime
{
    public SmtpSink.Refusing Hung { get; } = new() { Silent = true };
    protected override ServerOptions Customize(ServerOptions options)
    {
        var fast = InvoiceKit.FastJobs(options, Hung.Port);
        return fast with { Smtp = fast.Smtp! with { Timeout = TimeSpan.FromSeconds(1) } };
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Hung.Dispose();
    }
}

public class InvoiceEmailTimeoutTests(HungSmtpServer server) : IClassFixture<HungSmtpServer>
{
    [Fact]
    public async Task A_mail_server_that_never_answers_times_out_and_the_send_is_retried()
    {
        var api = server.Admin;
        var invoice = await InvoiceKit.Invoice(api, await InvoiceKit.Customer(api, new { name = "Hung Customer", email = "hung@customer.example" }));
        var emailId = InvoiceKit.Id((await api.PostAsync($"/v1/invoice-receivables/{InvoiceKit.Id(invoice)}/send-email")).AssertOk());
        await InvoiceKit.Eventually(async () => (await InvoiceKit.EmailState(server, emailId)).Attempts >= 2, seconds: 20);
        var (status, _, error) = await InvoiceKit.EmailState(server, emailId);
        Assert.Equal("RETRYING", status);
        Assert.Contains("timed out", error);
    }
}
