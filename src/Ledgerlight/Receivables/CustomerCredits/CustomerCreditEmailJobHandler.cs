using System.Net.Mail;
using System.Text.Json;
using Dapper;
using Ledgerlight.Platform;
using Ledgerlight.Receivables.InvoiceDocuments;
using Ledgerlight.Storage.Jobs;
using Npgsql;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>
/// "customer-credit-email" jobs queued by post-and-send-email: a plain e-mail telling the customer
/// about the posted credit (number, amount, currency). Sent through the same SMTP sender as
/// invoices; a failure rethrows so the job queue retries with its backoff.
/// </summary>
public sealed class CustomerCreditEmailJobHandler(NpgsqlDataSource db, IEmailSender sender, SmtpSettings settings) : IJobHandler
{
    public string Kind => CustomerCreditStore.EmailJobKind;

    sealed class CreditFacts
    {
        public string? DocumentNumber { get; set; }
        public long? Amount { get; set; }
        public string Currency { get; set; } = "";
        public string? CustomerName { get; set; }
        public string CompanyName { get; set; } = "";
        public string? InvoiceEmail { get; set; }
    }

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var companyId = job.CompanyId ?? throw new InvalidOperationException("customer-credit e-mail job without a company");
        var creditId = job.Payload.GetProperty("customerCreditId").GetGuid();
        var email = job.Payload.GetProperty("email").Deserialize<EmailInfo>(Json.Options)
                    ?? throw new InvalidOperationException("customer-credit e-mail job without e-mail details");
        await using var conn = await db.OpenConnectionAsync(ct);
        var facts = await conn.QuerySingleOrDefaultAsync<CreditFacts>("""
            SELECT cc.document_number, cc.amount, trim(cc.currency) AS currency, cu.name AS customer_name, co.name AS company_name,
                   co.invoice_email
              FROM customer_credits cc
              JOIN companies co ON co.id = cc.company_id
              LEFT JOIN customers cu ON cu.company_id = cc.company_id AND cu.id = cc.customer_id
             WHERE cc.company_id = @companyId AND cc.id = @creditId
            """, new { companyId, creditId }) ?? throw new InvalidOperationException($"customer credit {creditId} not found");

        var subject = string.IsNullOrWhiteSpace(email.Subject) ? $"Credit note {facts.DocumentNumber} from {facts.CompanyName}" : email.Subject.Trim();
        using var message = new MailMessage { From = new MailAddress(settings.From), Subject = subject, Body = Body(facts, email.CustomMessage) };
        foreach (var to in email.Recipients ?? []) message.To.Add(to);
        foreach (var cc in email.Cc ?? []) message.CC.Add(cc);
        var replyTo = email.ReplyTo ?? facts.InvoiceEmail;
        if (!string.IsNullOrWhiteSpace(replyTo)) message.ReplyToList.Add(replyTo);
        await sender.SendAsync(message, ct);
    }

    static string Body(CreditFacts f, string? customMessage)
    {
        var lines = new List<string> { $"Dear {f.CustomerName ?? "customer"},", "" };
        if (!string.IsNullOrWhiteSpace(customMessage)) { lines.Add(customMessage.Trim()); lines.Add(""); }
        lines.Add($"We have issued credit note {f.DocumentNumber} over {InvoicePdf.Money(f.Amount ?? 0, f.Currency)}.");
        lines.Add("");
        lines.Add(f.CompanyName);
        return string.Join("\r\n", lines);
    }
}
