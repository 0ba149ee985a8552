using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>The invoice lifecycle's writes (<see cref="InvoiceLifecycle"/> decides, these load and write).</summary>
public sealed partial class InvoiceStore
{
    /// <summary>
    /// DRAFT → OPEN: checks the invoice is complete, posts Dr AR (gross, customer as partner) / Cr revenue per line (net) /
    /// Cr output tax, and assigns the entity's next invoice number (kept if the invoice already has one) just before the write.
    /// </summary>
    public Task<InvoiceModel?> OpenAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, s => OpenInTransactionAsync(s.Connection, s.Transaction, principal, s.Row),
            conn => LoadModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>DRAFT → OPEN inside the caller's transaction, the invoice's row already locked (imports open many invoices all or nothing).</summary>
    public async Task OpenInTransactionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, InvoiceRow row)
    {
        var (companyId, id) = (principal.CompanyId, row.Id);
        var state = InvoiceLifecycle.Next(row.State, InvoiceAction.Open);
        var lines = (await LoadLinesAsync(conn, tx, companyId, id)).Select(l => l.ToPost).ToList();
        var now = Now;
        var postingDate = row.PostingDate ?? row.InvoiceDate ?? DateOnly.FromDateTime(now);
        var posting = await SalesDocumentPosting.PrepareAsync(engine, conn, tx, principal.UserId, SalesPostingKind.InvoiceOpening, row,
            row.InvoiceNumber, postingDate, row.InvoiceDate ?? postingDate, lines);

        // The gap-free number's row lock is held until commit: taken only once everything is checked.
        var number = row.InvoiceNumber ?? await NextInvoiceNumberAsync(conn, tx, companyId, row.CompanyEntityId);
        await UniqueNumber(() => conn.ExecuteAsync("""
            UPDATE invoice_receivables SET state = @state, invoice_number = @number, posting_date = @postingDate, posted_transaction_id = @transactionId,
                   local_fx_rate = @localRate, group_fx_rate = @groupRate, opened_at = @now, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId, id, state, number, postingDate, transactionId = posting.TransactionId, localRate = posting.LocalRate,
            groupRate = posting.GroupRate, now, userId = principal.UserId,
        }, tx));
        await engine.WriteAsync(conn, tx, posting.Prepared, number);
    }

    /// <summary>OPEN → DRAFT: the opening posting is reversed; the invoice keeps its number for the next opening.</summary>
    public Task<InvoiceModel?> ResetAsync(Principal principal, Guid id) => ChangeStateAsync(principal, id, InvoiceAction.Reset);

    /// <summary>DRAFT or OPEN (without payments) → ARCHIVED; an open invoice's posting is reversed first.</summary>
    public Task<InvoiceModel?> ArchiveAsync(Principal principal, Guid id) => ChangeStateAsync(principal, id, InvoiceAction.Archive);

    /// <summary>ARCHIVED → DRAFT (Light: "unarchives an invoice receivable and reverts it to draft").</summary>
    public Task<InvoiceModel?> UnarchiveAsync(Principal principal, Guid id) => ChangeStateAsync(principal, id, InvoiceAction.Unarchive);

    Task<InvoiceModel?> ChangeStateAsync(Principal principal, Guid id, InvoiceAction action) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async s =>
        {
            var state = InvoiceLifecycle.Next(s.Row.State, s.Row.PaidAmount, action);
            var dropsPosting = InvoiceLifecycle.DropsPosting(state);
            if (dropsPosting && s.Row.PostedTransactionId is { } posted)
            {
                await engine.ReverseAsync(s.Connection, s.Transaction, s.CompanyId, posted, null, principal.UserId);
                await PostingEngine.SetDocumentStatusAsync(s.Connection, s.Transaction, s.CompanyId, id, "REVERSED");
            }
            await s.Connection.ExecuteAsync("""
                UPDATE invoice_receivables
                   SET state = @state, updated_at = @now, updated_by = @userId,
                       posted_transaction_id = CASE WHEN @dropsPosting THEN NULL ELSE posted_transaction_id END,
                       opened_at = CASE WHEN @dropsPosting THEN NULL ELSE opened_at END
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId = s.CompanyId, id, state, dropsPosting, now = Now, userId = principal.UserId }, s.Transaction);
        }, conn => LoadModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>The entity's next invoice number: seed_invoice_number first, then +1 without gaps (row lock held to commit).</summary>
    static async Task<string> NextInvoiceNumberAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId) =>
        (await conn.ExecuteScalarAsync<long>("""
            INSERT INTO invoice_number_sequences AS s (company_id, company_entity_id, next_value)
            SELECT company_id, id, seed_invoice_number + 1 FROM company_entities WHERE company_id = @companyId AND id = @entityId
            ON CONFLICT (company_id, company_entity_id) DO UPDATE SET next_value = s.next_value + 1
            RETURNING next_value - 1
            """, new { companyId, entityId }, tx)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
