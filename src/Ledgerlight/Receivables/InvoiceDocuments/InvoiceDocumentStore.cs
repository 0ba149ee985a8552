using System.Security.Cryptography;
using Ledgerlight.Documents;
using Ledgerlight.Documents.Pdf;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>ExternalInvoiceReceivablePdfDocumentV1Model.</summary>
public sealed record InvoiceDocumentModel(Guid Id, Guid InvoiceReceivableId, string Status, string? Url, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalInvoiceReceivableEmailInfoRequestV1Model.</summary>
public sealed record InvoiceEmailRequest(string? Subject, string? ReplyTo, IReadOnlyList<string>? Recipients, IReadOnlyList<string?>? Cc, string? CustomMessage)
{
    /// <summary>Bounds of <see cref="EmailLimits"/>: at most 10 addresses, one-line subject, a single reply-to, no header injection.</summary>
    public void Validate(Validation v, params object[] at) => EmailLimits.Validate(v, Subject, ReplyTo, Recipients?.ToList<string?>(), Cc, CustomMessage, at);

    /// <summary>Whether the request names a recipient itself, so the customer's stored addresses are not needed.</summary>
    public bool HasRecipients => Recipients?.Any(r => !string.IsNullOrWhiteSpace(r)) == true;

    public static readonly InvoiceEmailRequest Defaults = new(null, null, null, null, null);
}

/// <summary>What sendInvoiceReceivableEmail answers (Light documents no body): the queued e-mail.</summary>
public sealed record InvoiceEmailModel(Guid Id, Guid InvoiceReceivableId, string Status, IReadOnlyList<string> Recipients, IReadOnlyList<string> Cc,
    string Subject, DateTime CreatedAt);

/// <summary>Loads what an invoice PDF prints, stores generated PDFs as blobs, and queues invoice e-mails.</summary>
public sealed class InvoiceDocumentStore(NpgsqlDataSource db, IBlobStore blobs, TimeProvider clock)
{
    public const string Purpose = "invoice-pdfs";
    public const string EmailJobKind = "invoice.email";

    sealed class HeaderRow
    {
        public Guid CompanyEntityId { get; set; }
        public Guid? CustomerId { get; set; }
        public string? InvoiceNumber { get; set; }
        public string State { get; set; } = "";
        public string Currency { get; set; } = "";
        public string? Description { get; set; }
        public string? AdditionalText { get; set; }
        public string? PoNumber { get; set; }
        public string? Reference { get; set; }
        public DateOnly? DueDate { get; set; }
        public DateOnly InvoiceDate { get; set; }
        public string CompanyName { get; set; } = "";
        public string? CustomerEmail { get; set; }
        public string[]? RecipientEmails { get; set; }
        public string[]? CcEmails { get; set; }
    }

    static Task<HeaderRow?> HeaderAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool forUpdate = false) =>
        conn.QuerySingleOrDefaultAsync<HeaderRow>($"""
            SELECT i.company_entity_id, i.customer_id, i.invoice_number, i.state, trim(i.currency) AS currency, i.description,
                   i.invoice_template_additional_text AS additional_text, i.po_number, i.reference, i.due_date,
                   COALESCE(i.invoice_date, i.posting_date, (i.created_at AT TIME ZONE 'UTC')::date) AS invoice_date,
                   co.name AS company_name, c.email AS customer_email, c.recipient_emails, c.cc_emails
              FROM invoice_receivables i
              JOIN companies co ON co.id = i.company_id
              LEFT JOIN customers c ON c.company_id = i.company_id AND c.id = i.customer_id
             WHERE i.company_id = @companyId AND i.id = @id
             {(forUpdate ? "FOR UPDATE OF i" : "")}
            """, new { companyId, id }, tx);

    /// <summary>The invoice as its PDF prints it, or null when the invoice does not exist (for this company).</summary>
    public async Task<(SalesDocument Document, string State)?> LoadAsync(Guid companyId, Guid invoiceId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var h = await HeaderAsync(conn, null, companyId, invoiceId);
        if (h is null) return null;
        var lines = await conn.QueryAsync<PrintedLineRow>("""
            SELECT COALESCE(l.product_name_overwrite, p.name, '') AS description, l.quantity, l.unit_price, l.discount_amount, l.net_amount,
                   l.tax_amount, t.rate_percent AS tax_rate, t.label AS tax_label
              FROM invoice_receivable_lines l
              LEFT JOIN products p ON p.company_id = l.company_id AND p.id = l.product_id
              LEFT JOIN tax_codes t ON t.company_id = l.company_id AND t.id = l.tax_code_id
             WHERE l.company_id = @companyId AND l.invoice_receivable_id = @invoiceId
             ORDER BY l.id
            """, new { companyId, invoiceId });
        var document = new SalesDocument(SalesDocumentKind.Invoice, h.InvoiceNumber, h.State == "DRAFT",
            await DocumentParties.SellerAsync(conn, companyId, h.CompanyEntityId), await DocumentParties.BuyerAsync(conn, companyId, h.CustomerId),
            h.InvoiceDate, h.DueDate, h.Currency,
            lines.Select(l => l.ToLine()).ToList(),
            h.Description, h.PoNumber, h.Reference, h.AdditionalText, await DocumentParties.BankAsync(conn, companyId, h.CompanyEntityId, h.Currency));
        return (document, h.State);
    }

    /// <summary>
    /// Renders the invoice now, stores the PDF (replacing the previous one) and answers READY with a
    /// fresh signed URL. Drafts render as a preview marked "Draft invoice"; archived invoices are 409.
    /// </summary>
    public async Task<InvoiceDocumentModel?> GenerateAsync(Guid companyId, Guid invoiceId, SignedUrls urls, CancellationToken ct)
    {
        if (await LoadAsync(companyId, invoiceId) is not var (document, state)) return null;
        if (state == "ARCHIVED") throw ApiException.Conflict("Invoice is ARCHIVED; unarchive it to generate its document");
        var pdf = SalesDocumentPdf.Render(document);
        var key = BlobKeys.New(companyId, Purpose);
        var (size, sha) = await blobs.WriteAsync(key, new MemoryStream(pdf), ct);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync("""
            INSERT INTO blobs (company_id, key, content_type, size_bytes, sha256, uploaded_at) VALUES (@companyId, @key, 'application/pdf', @size, @sha, @now)
            """, new { companyId, key, size, sha, now }, tx);
        var previous = await conn.QuerySingleOrDefaultAsync<string?>(
            "SELECT blob_key FROM invoice_receivable_documents WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId FOR UPDATE",
            new { companyId, invoiceId }, tx);
        var row = await conn.QuerySingleAsync<(Guid Id, DateTime CreatedAt, DateTime UpdatedAt)>("""
            INSERT INTO invoice_receivable_documents (company_id, id, invoice_receivable_id, status, blob_key, created_at, updated_at)
            VALUES (@companyId, @id, @invoiceId, @ready, @key, @now, @now)
            ON CONFLICT (company_id, invoice_receivable_id) DO UPDATE SET status = @ready, blob_key = EXCLUDED.blob_key, updated_at = EXCLUDED.updated_at
            RETURNING id, created_at, updated_at
            """, new { companyId, id = Ids.New(), invoiceId, key, now, ready = "READY" }, tx);
        if (previous is not null && previous != key)
            await conn.ExecuteAsync("DELETE FROM blobs WHERE company_id = @companyId AND key = @previous", new { companyId, previous }, tx);
        await tx.CommitWriteAsync(ct);
        if (previous is not null && previous != key) await blobs.DeleteAsync(previous);
        return new InvoiceDocumentModel(row.Id, invoiceId, "READY", urls.ForDownload(key).Url, row.CreatedAt, row.UpdatedAt);
    }

    /// <summary>Whether an e-mail without explicit recipients would have someone to go to (customer recipients or e-mail).</summary>
    public async Task<bool> HasDefaultRecipientsAsync(Guid companyId, Guid invoiceId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var h = await HeaderAsync(conn, null, companyId, invoiceId, forUpdate: false);
        return h is not null && ((h.RecipientEmails ?? []).Any(e => !string.IsNullOrWhiteSpace(e)) || !string.IsNullOrWhiteSpace(h.CustomerEmail));
    }

    /// <summary>
    /// Queues the invoice e-mail: the row and its job commit together. Recipients: the request's, else
    /// the customer's recipientEmails (and ccEmails), else the customer's email; none is a 422.
    /// </summary>
    public async Task<InvoiceEmailModel?> QueueEmailAsync(Principal principal, Guid invoiceId, InvoiceEmailRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var h = await HeaderAsync(conn, tx, companyId, invoiceId, forUpdate: true);
        if (h is null) return null;
        if (h.State is not ("OPEN" or "PARTIALLY_PAID" or "PAID"))
            throw ApiException.Conflict($"Invoice is {h.State}; only an opened invoice (OPEN, PARTIALLY_PAID or PAID) can be e-mailed");

        static string[] Clean(IEnumerable<string?>? list) =>
            (list ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var recipients = Clean(r.Recipients);
        var cc = Clean(r.Cc);
        if (recipients.Length == 0)
        {
            recipients = Clean(h.RecipientEmails);
            if (r.Cc is null) cc = Clean(h.CcEmails);
            if (recipients.Length == 0 && !string.IsNullOrWhiteSpace(h.CustomerEmail)) recipients = [h.CustomerEmail.Trim()];
        }
        if (recipients.Length == 0)
            throw ApiException.Unprocessable("No recipients: give 'recipients', or set the customer's recipientEmails or email", "recipients");
        cc = cc.Where(c => !recipients.Contains(c, StringComparer.OrdinalIgnoreCase)).ToArray();
        var subject = string.IsNullOrWhiteSpace(r.Subject) ? $"Invoice {h.InvoiceNumber} from {h.CompanyName}" : r.Subject.Trim();
        var id = Ids.New();
        var now = clock.GetUtcNow().UtcDateTime;
        var jobId = await JobQueue.EnqueueAsync(conn, tx, companyId, EmailJobKind, new { emailId = id });
        await conn.ExecuteAsync("""
            INSERT INTO invoice_receivable_emails (company_id, id, invoice_receivable_id, job_id, recipients, cc, reply_to, subject, custom_message,
                                                   created_by, created_at, updated_at)
            VALUES (@companyId, @id, @invoiceId, @jobId, @recipients, @cc, @replyTo, @subject, @customMessage, @createdBy, @now, @now)
            """, new
        {
            companyId, id, invoiceId, jobId, recipients, cc, replyTo = string.IsNullOrWhiteSpace(r.ReplyTo) ? null : r.ReplyTo.Trim(), subject,
            customMessage = r.CustomMessage, createdBy = principal.UserId, now,
        }, tx);
        await tx.CommitWriteAsync();
        return new InvoiceEmailModel(id, invoiceId, "QUEUED", recipients, cc, subject, now);
    }

    public sealed class EmailRow
    {
        public Guid CompanyId { get; set; }
        public Guid Id { get; set; }
        public Guid InvoiceReceivableId { get; set; }
        public Guid JobId { get; set; }
        public string[] Recipients { get; set; } = [];
        public string[] Cc { get; set; } = [];
        public string? ReplyTo { get; set; }
        public string Subject { get; set; } = "";
        public string? CustomMessage { get; set; }
        public string Status { get; set; } = "";
        public int Attempts { get; set; }
        public string? LastError { get; set; }
        public string CompanyInvoiceEmail { get; set; } = "";
    }

    public async Task<EmailRow?> FindEmailAsync(Guid companyId, Guid emailId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<EmailRow>("""
            SELECT m.company_id, m.id, m.invoice_receivable_id, m.job_id, m.recipients, m.cc, m.reply_to, m.subject, m.custom_message, m.status,
                   m.attempts, m.last_error, co.invoice_email AS company_invoice_email
              FROM invoice_receivable_emails m JOIN companies co ON co.id = m.company_id
             WHERE m.company_id = @companyId AND m.id = @emailId
            """, new { companyId, emailId });
    }

    /// <summary>Records one try: SENT, or RETRYING / FAILED (the latter once the job has no attempts left) with the error.</summary>
    public async Task RecordAttemptAsync(Guid companyId, Guid emailId, string? error)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE invoice_receivable_emails m
               SET attempts = m.attempts + 1, updated_at = now(), last_error = @error,
                   status = CASE WHEN @error IS NULL THEN @sent
                                 WHEN (SELECT j.attempts >= j.max_attempts FROM jobs j WHERE j.id = m.job_id) THEN @failed
                                 ELSE @retrying END,
                   sent_at = CASE WHEN @error IS NULL THEN now() ELSE m.sent_at END
             WHERE m.company_id = @companyId AND m.id = @emailId
            """, new { companyId, emailId, error, sent = "SENT", failed = "FAILED", retrying = "RETRYING" });
    }
}
