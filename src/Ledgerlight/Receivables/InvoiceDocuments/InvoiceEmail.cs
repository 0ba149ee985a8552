using System.Net;
using System.Net.Mail;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Receivables.InvoiceDocuments;

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
    public bool EnableSsl { get; init; }
    public string PickupDirectory { get; init; } = Path.Combine(".ledgerlight", "outbox");
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>LEDGERLIGHT_SMTP_HOST / _PORT / _USER / _PASSWORD / _FROM / _SSL (true|false).</summary>
    public static SmtpSettings FromEnvironment(string dataDirectory)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var s = new SmtpSettings { PickupDirectory = Path.Combine(dataDirectory, "outbox") };
        return s with
        {
            Host = Env("LEDGERLIGHT_SMTP_HOST"),
            Port = int.TryParse(Env("LEDGERLIGHT_SMTP_PORT"), out var port) ? port : s.Port,
            Username = Env("LEDGERLIGHT_SMTP_USER"),
            Password = Env("LEDGERLIGHT_SMTP_PASSWORD"),
            From = Env("LEDGERLIGHT_SMTP_FROM") ?? s.From,
            EnableSsl = bool.TryParse(Env("LEDGERLIGHT_SMTP_SSL"), out var ssl) ? ssl : s.EnableSsl,
        };
    }
}

public interface IEmailSender
{
    /// <summary>Delivers the message or throws (the caller's job is then retried).</summary>
    Task SendAsync(MailMessage message, CancellationToken ct);
}

/// <summary>System.Net.Mail over SMTP, or into the pickup folder when no host is configured.</summary>
public sealed class SmtpEmailSender(SmtpSettings settings) : IEmailSender
{
    public SmtpSettings Settings => settings;

    public async Task SendAsync(MailMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient();
        if (settings.Host is null)
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = Path.GetFullPath(settings.PickupDirectory);
        }
        else
        {
            client.Host = settings.Host;
            client.Port = settings.Port;
            client.EnableSsl = settings.EnableSsl;
            client.Timeout = (int)settings.Timeout.TotalMilliseconds;
            if (settings.Username is not null) client.Credentials = new NetworkCredential(settings.Username, settings.Password);
        }
        await client.SendMailAsync(message, ct);
    }
}

/// <summary>
/// "invoice.email" jobs: renders the invoice PDF as it stands now, attaches it, sends, and records
/// the try on the e-mail row. A failure rethrows, so the job queue retries with its backoff.
/// </summary>
public sealed class InvoiceEmailJobHandler(InvoiceDocumentStore store, IEmailSender sender, SmtpSettings settings) : IJobHandler
{
    public string Kind => InvoiceDocumentStore.EmailJobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var companyId = job.CompanyId ?? throw new InvalidOperationException("invoice.email job without a company");
        var emailId = job.Payload.GetProperty("emailId").GetGuid();
        var email = await store.FindEmailAsync(companyId, emailId) ?? throw new InvalidOperationException($"invoice e-mail {emailId} not found");
        if (email.Status == "SENT") return; // a retry after the send succeeded but the job's completion was lost
        try
        {
            var data = await store.LoadAsync(companyId, email.InvoiceReceivableId)
                       ?? throw new InvalidOperationException($"invoice {email.InvoiceReceivableId} not found");
            var pdf = InvoicePdf.Render(data);
            using var message = new MailMessage { From = new MailAddress(settings.From), Subject = email.Subject, Body = Body(data, email.CustomMessage) };
            foreach (var to in email.Recipients) message.To.Add(to);
            foreach (var cc in email.Cc) message.CC.Add(cc);
            var replyTo = email.ReplyTo ?? email.CompanyInvoiceEmail;
            if (!string.IsNullOrWhiteSpace(replyTo)) message.ReplyToList.Add(replyTo);
            message.Attachments.Add(new Attachment(new MemoryStream(pdf), $"invoice-{data.InvoiceNumber}.pdf", "application/pdf"));
            await sender.SendAsync(message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            await store.RecordAttemptAsync(companyId, emailId, error.Length > 2000 ? error[..2000] : error);
            throw;
        }
        await store.RecordAttemptAsync(companyId, emailId, null);
    }

    static string Body(InvoicePdfData d, string? customMessage)
    {
        var lines = new List<string> { $"Dear {d.CustomerName ?? "customer"},", "" };
        if (!string.IsNullOrWhiteSpace(customMessage)) { lines.Add(customMessage.Trim()); lines.Add(""); }
        lines.Add($"Please find attached invoice {d.InvoiceNumber} over {InvoicePdf.Money(d.GrossTotal, d.Currency)}"
                  + (d.DueDate is { } due ? $", due on {due:yyyy-MM-dd}." : "."));
        lines.Add("");
        lines.Add(d.CompanyName);
        return string.Join("\r\n", lines);
    }
}
