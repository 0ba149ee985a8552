using Ledgerlight.Documents.Pdf;
using Ledgerlight.Receivables.InvoiceDocuments;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>
/// "customer-credit-email" jobs queued by post-and-send-email: a text + HTML e-mail telling the customer about the
/// posted credit, with the credit note as a PDF (the same renderer and layout as invoices). Sent through the same
/// SMTP sender as invoices; a failure rethrows so the job queue retries with its backoff.
/// </summary>
public sealed class CustomerCreditEmailJobHandler(NpgsqlDataSource db, IEmailSender sender, SmtpSettings settings) : IJobHandler
{
    public string Kind => CustomerCreditStore.EmailJobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var companyId = job.CompanyId ?? throw new InvalidOperationException("customer-credit e-mail job without a company");
        var creditId = job.Payload.GetProperty("customerCreditId").GetGuid();
        var email = job.Payload.GetProperty("email").Deserialize<EmailInfo>(Json.Options)
                    ?? throw new InvalidOperationException("customer-credit e-mail job without e-mail details");
        var document = await CustomerCreditDocument.LoadAsync(db, companyId, creditId)
                       ?? throw new InvalidOperationException($"customer credit {creditId} not found");

        var subject = string.IsNullOrWhiteSpace(email.Subject) ? $"Credit note {document.Number} from {document.Seller.Name}" : email.Subject.Trim();
        await InvoiceEmailJobHandler.SendWithPdfAsync(sender, settings, document, email.Recipients ?? [], email.Cc ?? [],
            email.ReplyTo ?? document.Seller.Email, subject, Content(document, email.CustomMessage), ct);
    }

    public static EmailContent Content(SalesDocument d, string? customMessage)
    {
        var paragraphs = new List<string>();
        if (!string.IsNullOrWhiteSpace(customMessage)) paragraphs.Add(customMessage.Trim());
        paragraphs.Add($"We have issued credit note {d.Number} over {DocumentText.Money(d.GrossTotal, d.Currency)}. The credit note is attached.");
        var facts = new List<(string, string)>
        {
            ("Credit note number", d.Number ?? "-"), ("Date", DocumentText.Date(d.Date)), ("Amount", DocumentText.Money(d.GrossTotal, d.Currency)),
        };
        return new EmailContent($"Dear {d.Buyer?.Name ?? "customer"},", paragraphs, d.Seller.Name, facts);
    }
}

/// <summary>Loads a customer credit as the credit note its PDF prints.</summary>
public static class CustomerCreditDocument
{
    sealed class HeaderRow
    {
        public Guid CompanyEntityId { get; set; }
        public Guid? CustomerId { get; set; }
        public string? DocumentNumber { get; set; }
        public string Status { get; set; } = "";
        public string Currency { get; set; } = "";
        public string? Description { get; set; }
        public DateOnly DocumentDate { get; set; }
    }

    public static async Task<SalesDocument?> LoadAsync(NpgsqlDataSource db, Guid companyId, Guid creditId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var h = await conn.QuerySingleOrDefaultAsync<HeaderRow>("""
            SELECT company_entity_id, customer_id, document_number, status, trim(currency) AS currency, description,
                   COALESCE(document_date, posting_date, (created_at AT TIME ZONE 'UTC')::date) AS document_date
              FROM customer_credits WHERE company_id = @companyId AND id = @creditId
            """, new { companyId, creditId });
        if (h is null) return null;
        var lines = await conn.QueryAsync<PrintedLineRow>("""
            SELECT COALESCE(NULLIF(l.description, ''), p.name, '') AS description, l.quantity, l.unit_price, 0::bigint AS discount_amount,
                   l.net_amount, l.tax_amount,
                   t.rate_percent AS tax_rate, t.label AS tax_label
              FROM customer_credit_lines l
              LEFT JOIN products p ON p.company_id = l.company_id AND p.id = l.product_id
              LEFT JOIN tax_codes t ON t.company_id = l.company_id AND t.id = l.tax_code_id
             WHERE l.company_id = @companyId AND l.customer_credit_id = @creditId
             ORDER BY l.id
            """, new { companyId, creditId });
        return new SalesDocument(SalesDocumentKind.CreditNote, h.DocumentNumber, h.Status == "DRAFT",
            await DocumentParties.SellerAsync(conn, companyId, h.CompanyEntityId), await DocumentParties.BuyerAsync(conn, companyId, h.CustomerId),
            h.DocumentDate, null, h.Currency,
            lines.Select(l => l.ToLine()).ToList(),
            h.Description);
    }
}
