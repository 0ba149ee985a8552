using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>The customer credit lifecycle's writes (<see cref="CustomerCreditLifecycle"/> decides, these load and write).</summary>
public sealed partial class CustomerCreditStore
{
    /// <summary>Job kind of a queued customer-credit e-mail (sent by CustomerCreditEmailJobHandler).</summary>
    public const string EmailJobKind = "customer-credit-email";

    /// <summary>DRAFT → POSTED: Dr revenue per line (net) and output tax, Cr AR gross with the customer as partner; numbered CN-year-n late.</summary>
    public Task<CustomerCreditModel?> PostAsync(Principal principal, Guid id, EmailInfo? email = null) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var status = CustomerCreditLifecycle.Next(row.Status, CustomerCreditAction.Post);
            var lines = (await LoadLinesAsync(conn, tx, companyId, id)).Select(l => l.ToPost).ToList();
            var now = Now;
            var postingDate = row.DocumentDate ?? DateOnly.FromDateTime(now);
            var posting = await SalesDocumentPosting.PrepareAsync(engine, conn, tx, principal.UserId, SalesPostingKind.CreditPosting, row,
                row.DocumentNumber, postingDate, row.DocumentDate ?? postingDate, lines);
            var number = row.DocumentNumber ?? await DocumentNumbers.NextAsync(conn, tx, companyId, row.CompanyEntityId, "CN", postingDate.Year);
            await conn.ExecuteAsync("""
                UPDATE customer_credits SET status = @status, document_number = @number, posting_date = @postingDate, posted_transaction_id = @transactionId,
                       local_fx_rate = @localRate, group_fx_rate = @groupRate, updated_at = @now, updated_by = @userId
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, id, status, number, postingDate, transactionId = posting.TransactionId, localRate = posting.LocalRate,
                groupRate = posting.GroupRate, now, userId = principal.UserId,
            }, tx);
            await engine.WriteAsync(conn, tx, posting.Prepared, number);
            // post-and-send-email: the e-mail is queued with the posting (same transaction); CustomerCreditEmailJobHandler sends it.
            if (email is not null)
                await Storage.Jobs.JobQueue.EnqueueAsync(conn, tx, companyId, EmailJobKind, new { customerCreditId = id, documentNumber = number, email });
        }, conn => LoadModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>DRAFT, or POSTED without applications (posting reversed) → ARCHIVED.</summary>
    public Task<CustomerCreditModel?> ArchiveAsync(Principal principal, Guid id) => ChangeStatusAsync(principal, id, CustomerCreditAction.Archive);

    /// <summary>ARCHIVED → DRAFT (Light: "unarchives the given customer credit and reverts it to draft").</summary>
    public Task<CustomerCreditModel?> UnarchiveAsync(Principal principal, Guid id) => ChangeStatusAsync(principal, id, CustomerCreditAction.Unarchive);

    Task<CustomerCreditModel?> ChangeStatusAsync(Principal principal, Guid id, CustomerCreditAction action) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async s =>
        {
            var status = CustomerCreditLifecycle.Next(s.Row.Status, action);
            if (s.Row.PostedTransactionId is { } posted)
            {
                await engine.ReverseAsync(s.Connection, s.Transaction, s.CompanyId, posted, null, principal.UserId);
                await PostingEngine.SetDocumentStatusAsync(s.Connection, s.Transaction, s.CompanyId, id, "REVERSED");
            }
            // Archived and draft credits have no posting: both leave the posted state.
            await s.Connection.ExecuteAsync("""
                UPDATE customer_credits SET status = @status, updated_at = @now, updated_by = @userId, posted_transaction_id = NULL
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId = s.CompanyId, id, status, now = Now, userId = principal.UserId }, s.Transaction);
        }, conn => LoadModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>Records the e-invoice request on a posted credit; nothing is transmitted (no e-invoicing network is connected).</summary>
    public Task<string?> SubmitEInvoiceAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync<CustomerCreditRow, string>(db, Table, principal.CompanyId, id, async s =>
        {
            CustomerCreditLifecycle.Machine.Ensure(s.Row.Status, CustomerCreditAction.SubmitEInvoice);
            await s.Connection.ExecuteAsync("""
                UPDATE customer_credits SET einvoice_status = @status, updated_at = @now, updated_by = @userId WHERE company_id = @companyId AND id = @id
                """, new { companyId = s.CompanyId, id, status = CustomerCreditStates.EInvoiceNotConnected, now = Now, userId = principal.UserId },
                s.Transaction);
            return CustomerCreditStates.EInvoiceNotConnected;
        });
}
