using System.Net.Security;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a local relay).</summary>
    None,
    /// <summary>Plain connection upgraded with STARTTLS; refused when the server does not offer it (port 587).</summary>
    StartTls,
    /// <summary>TLS from the first byte, "implicit TLS" (port 465).</summary>
    Ssl,
    /// <summary>TLS on port 465, otherwise STARTTLS when the server offers it.</summary>
    Auto,
}

/// <summary>
/// Outgoing mail settings. With no <see cref="Host"/> messages are written as .eml files into
/// <see cref="PickupDirectory"/> (the development default: "&lt;data dir&gt;/outbox").
/// </summary>
public sealed record SmtpSettings
{
    public string? Host { get; init; }
    public int Port { get; init; } = 25;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "invoices@ledgerlight.localhost";
    public SmtpSecurity Security { get; init; } = SmtpSecurity.None;
    public string PickupDirectory { get; init; } = Path.Combine(".ledgerlight", "outbox");
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Overrides the system's certificate check (a private CA, or a test server's own certificate); not read from the environment.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>LEDGERLIGHT_SMTP_HOST / _PORT / _USER / _PASSWORD / _FROM / _SECURITY (none|starttls|ssl|auto), or the older _SSL (true|false).</summary>
    public static SmtpSettings FromEnvironment(string dataDirectory)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var s = new SmtpSettings { PickupDirectory = Path.Combine(dataDirectory, "outbox") };
        var port = int.TryParse(Env("LEDGERLIGHT_SMTP_PORT"), out var p) ? p : s.Port;
        return s with
        {
            Host = Env("LEDGERLIGHT_SMTP_HOST"),
            Port = port,
            Username = Env("LEDGERLIGHT_SMTP_USER"),
            Password = Env("LEDGERLIGHT_SMTP_PASSWORD"),
            From = Env("LEDGERLIGHT_SMTP_FROM") ?? s.From,
            Security = ParseSecurity(Env("LEDGERLIGHT_SMTP_SECURITY"), Env("LEDGERLIGHT_SMTP_SSL"), port),
        };
    }

    /// <summary>
    /// LEDGERLIGHT_SMTP_SECURITY when set; else the older LEDGERLIGHT_SMTP_SSL, whose "true" always meant STARTTLS
    /// (what System.Net.Mail's EnableSsl did); else implicit TLS on port 465 and plain SMTP elsewhere.
    /// </summary>
    public static SmtpSecurity ParseSecurity(string? security, string? ssl, int port) => security?.Trim().ToLowerInvariant() switch
    {
        "none" or "plain" => SmtpSecurity.None,
        "starttls" or "tls" => SmtpSecurity.StartTls,
        "ssl" or "implicit" => SmtpSecurity.Ssl,
        "auto" => SmtpSecurity.Auto,
        null or "" => bool.TryParse(ssl, out var on) ? on ? SmtpSecurity.StartTls : SmtpSecurity.None
            : port == 465 ? SmtpSecurity.Ssl : SmtpSecurity.None,
        _ => throw new InvalidOperationException($"LEDGERLIGHT_SMTP_SECURITY must be none, starttls, ssl or auto (not '{security}')"),
    };
}

public interface IEmailSender
{
    /// <summary>Delivers the message or throws (the caller's job is then retried).</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>
/// MailKit over SMTP (plain, STARTTLS or implicit TLS; login when the server offers it and a user is set), or an
/// .eml file in the pickup folder when no host is configured. The whole exchange is bounded by the settings' timeout,
/// so a server that accepts and never answers fails the try (and the job retries) instead of holding a worker.
/// </summary>
public sealed class SmtpEmailSender(SmtpSettings settings) : IEmailSender
{
    public SmtpSettings Settings => settings;

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        if (settings.Host is null)
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            var file = Path.Combine(Path.GetFullPath(settings.PickupDirectory), $"{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(file, ct);
            return;
        }
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(settings.Timeout);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        if (settings.CertificateValidation is { } check) client.ServerCertificateValidationCallback = check;
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, Options(settings.Security), bounded.Token);
            if (settings.Username is not null && client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", bounded.Token);
            await client.SendAsync(message, bounded.Token);
            await client.DisconnectAsync(quit: true, bounded.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server {settings.Host}:{settings.Port} timed out after {settings.Timeout.TotalSeconds:0.#} s");
        }
    }

    static SecureSocketOptions Options(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.None,
    };
}
