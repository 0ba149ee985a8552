using Ledgerlight.Documents.Pdf;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>
/// "invoice.email" jobs: renders the invoice PDF as it stands now, attaches it to a text + HTML e-mail, sends, and
/// records the try on the e-mail row. A failure rethrows, so the job queue retries with its backoff.
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
            var (document, _) = await store.LoadAsync(companyId, email.InvoiceReceivableId)
                                ?? throw new InvalidOperationException($"invoice {email.InvoiceReceivableId} not found");
            await SendWithPdfAsync(sender, settings, document, email.Recipients, email.Cc, email.ReplyTo ?? email.CompanyInvoiceEmail,
                email.Subject, Content(document, email.CustomMessage), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            await store.RecordAttemptAsync(companyId, emailId, error.Length > 2000 ? error[..2000] : error);
            throw;
        }
        await store.RecordAttemptAsync(companyId, emailId, null);
    }

    /// <summary>Sends <paramref name="document"/>, rendered as a PDF, attached to an e-mail saying <paramref name="content"/>.</summary>
    public static async Task SendWithPdfAsync(IEmailSender sender, SmtpSettings settings, SalesDocument document, IEnumerable<string> to,
        IEnumerable<string> cc, string? replyTo, string subject, EmailContent content, CancellationToken ct)
    {
        var pdf = new EmailAttachment(FileName(document), SalesDocumentPdf.Render(document));
        using var message = EmailComposer.Compose(settings.From, to, cc, replyTo, subject, content, pdf);
        await sender.SendAsync(message, ct);
    }

    /// <summary>"invoice-INV-7.pdf" / "credit-note-CN-3.pdf": the number kept to characters safe in any file system.</summary>
    public static string FileName(SalesDocument d)
    {
        var number = new string((d.Number ?? "draft").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        return $"{(d.Kind == SalesDocumentKind.Invoice ? "invoice" : "credit-note")}-{number}.pdf";
    }

    /// <summary>The invoice e-mail's words: greeting, the caller's message, the invoice's number, total and due date.</summary>
    public static EmailContent Content(SalesDocument d, string? customMessage)
    {
        var paragraphs = new List<string>();
        if (!string.IsNullOrWhiteSpace(customMessage)) paragraphs.Add(customMessage.Trim());
        paragraphs.Add($"Please find attached invoice {d.Number} over {DocumentText.Money(d.GrossTotal, d.Currency)}"
                       + (d.DueDate is { } due ? $", due on {DocumentText.Date(due)}." : "."));
        var facts = new List<(string, string)> { ("Invoice number", d.Number ?? "-"), ("Amount due", DocumentText.Money(d.GrossTotal, d.Currency)) };
        if (d.DueDate is { } dueDate) facts.Add(("Due date", DocumentText.Date(dueDate)));
        if (d.Bank?.Iban is { Length: > 0 } iban) facts.Add(("IBAN", DocumentText.Iban(iban)));
        return new EmailContent($"Dear {d.Buyer?.Name ?? "customer"},", paragraphs, d.Seller.Name, facts);
    }
}
