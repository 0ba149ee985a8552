using Ledgerlight.Payables.PayableDocuments;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>
/// The approval workflow's SQL: submit, approve (the last approval posts the bill through <see cref="BillPostingStore"/>),
/// decline, the approvals list. Which bill needs approval and who approves which step is <see cref="BillApproval"/>.
/// </summary>
public sealed class BillApprovalStore(NpgsqlDataSource db, BillPostingStore posting, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <param name="closePurchaseOrder">Close the bill's purchase order once the bill posts (each submit says it again).</param>
    public Task<BillModel?> SubmitAsync(Principal principal, Guid id, bool closePurchaseOrder) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            BillLifecycle.Ensure(s.Row.State, BillAction.Submit);
            await s.Connection.ExecuteAsync("UPDATE invoice_payables SET close_purchase_order = @closePurchaseOrder WHERE company_id = @companyId AND id = @id",
                new { companyId = s.CompanyId, id, closePurchaseOrder }, s.Transaction);
            await StartApprovalAsync(s.Connection, s.Transaction, s.Row);
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, false));

    /// <summary>
    /// Records the caller's approval (submitting a draft first). When every step is approved the bill
    /// is posted straight away (APPROVED_ACCOUNTING_ENTRY_PENDING → UNPAID), in the same transaction.
    /// </summary>
    public Task<BillModel?> ApproveAsync(Principal principal, Guid id, string? note) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, bill) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var identity = principal.ActorId();
            BillLifecycle.Ensure(bill.State, BillAction.Approve);
            // Approving a draft submits it first; when it needs no approval that would simply post it,
            // which only a role that may post bills may do (an APPROVER approves, it does not post).
            if (bill.State != BillState.ApprovalPending && !BillApproval.MayPost(principal.Role) && !(await DecideAsync(conn, tx, bill, Now)).NeedsApproval)
                throw ApiException.Forbidden($"Invoice payable needs no approval; role {principal.Role} may approve bills but not post them");
            var approvalId = bill.State == BillState.ApprovalPending ? await OpenApprovalAsync(conn, tx, companyId, id) : await StartApprovalAsync(conn, tx, bill);
            var steps = await StepsAsync(conn, tx, companyId, approvalId);
            var step = BillApproval.StepToApprove(steps, identity);
            var now = Now;
            await conn.ExecuteAsync("""
                UPDATE invoice_user_approvals SET status = @approved, user_id = @identity, note = @note, completed_at = @now, updated_at = @now
                 WHERE company_id = @companyId AND id = @stepId
                """, new { companyId, stepId = step.Id, identity, note, now, approved = ApprovalStatus.Approved }, tx);
            if (note is not null)
                await conn.ExecuteAsync("UPDATE invoice_payables SET approval_note = @note WHERE company_id = @companyId AND id = @id", new { companyId, id, note }, tx);
            if (!BillApproval.IsLastApproval(steps))
            {
                await conn.ExecuteAsync("UPDATE invoice_approvals SET updated_at = @now WHERE company_id = @companyId AND id = @approvalId",
                    new { companyId, approvalId, now }, tx);
                return;
            }
            await conn.ExecuteAsync("""
                UPDATE invoice_approvals SET status = @approved, note = COALESCE(@note, note), completed_at = @now, updated_at = @now
                 WHERE company_id = @companyId AND id = @approvalId
                """, new { companyId, approvalId, note, now, approved = ApprovalStatus.Approved }, tx);
            await BillQueries.SetStateAsync(conn, tx, companyId, id, BillState.ApprovedEntryPending);
            await posting.PostInTransactionAsync(conn, tx, companyId, id, identity);
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, true));

    public Task<BillModel?> DeclineAsync(Principal principal, Guid id, string? note) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
            var identity = principal.ActorId();
            var state = BillLifecycle.Next(s.Row.State, BillAction.Decline);
            var approvalId = await OpenApprovalAsync(conn, tx, companyId, id);
            var step = BillApproval.StepToDecline(await StepsAsync(conn, tx, companyId, approvalId), identity);
            await conn.ExecuteAsync("""
                UPDATE invoice_user_approvals SET status = @declined, user_id = @identity, note = @note, completed_at = @now, updated_at = @now
                 WHERE company_id = @companyId AND id = @stepId;
                UPDATE invoice_approvals SET status = @declined, note = @note, completed_at = @now, updated_at = @now
                 WHERE company_id = @companyId AND id = @approvalId;
                UPDATE invoice_payables SET state = @state, approval_note = COALESCE(@note, approval_note), updated_at = @now, version = version + 1
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId, stepId = step.Id, approvalId, id, identity, note, now = Now, state, declined = ApprovalStatus.Declined }, tx);
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, false));

    static Task<Guid> OpenApprovalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.ExecuteScalarAsync<Guid>(
            "SELECT id FROM invoice_approvals WHERE company_id = @companyId AND invoice_payable_id = @id AND status = @open",
            new { companyId, id, open = ApprovalStatus.InProgress }, tx);

    /// <summary>One pending step per named vendor approver, or one open step when the vendor names none.</summary>
    async Task<Guid> StartApprovalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BillRow bill)
    {
        var approvalId = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO invoice_approvals (company_id, id, invoice_payable_id, status, created_at, updated_at)
            VALUES (@CompanyId, @approvalId, @Id, @open, @now, @now);
            INSERT INTO invoice_user_approvals (company_id, id, approval_id, user_id, named, priority, status, created_at, updated_at)
            SELECT @CompanyId, gen_random_uuid(), @approvalId, a.user_id, true, a.priority, @pending, @now, @now
              FROM vendor_approvers a WHERE a.company_id = @CompanyId AND a.vendor_id = @VendorId;
            INSERT INTO invoice_user_approvals (company_id, id, approval_id, user_id, named, priority, status, created_at, updated_at)
            SELECT @CompanyId, gen_random_uuid(), @approvalId, NULL, false, 1, @pending, @now, @now
             WHERE NOT EXISTS (SELECT 1 FROM vendor_approvers a WHERE a.company_id = @CompanyId AND a.vendor_id = @VendorId);
            UPDATE invoice_payables SET state = @state, updated_at = @now, version = version + 1
             WHERE company_id = @CompanyId AND id = @Id
            """, new
        {
            bill.CompanyId, bill.Id, bill.VendorId, approvalId, now = Now, open = ApprovalStatus.InProgress, pending = ApprovalStatus.Pending,
            state = BillState.ApprovalPending,
        }, tx);
        return approvalId;
    }

    static async Task<List<ApprovalStep>> StepsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid approvalId) =>
        (await conn.QueryAsync<StepRow>(
            $"SELECT {StepRow.Columns} FROM invoice_user_approvals WHERE company_id = @companyId AND approval_id = @approvalId ORDER BY priority, created_at, id",
            new { companyId, approvalId }, tx)).Select(s => s.ToStep()).ToList();

    /// <summary>
    /// Loads what <see cref="BillApproval.Decide"/> needs: whether the vendor names approvers, the company's threshold,
    /// and the rate into the company currency the bill's posting uses.
    /// </summary>
    public static async Task<BillApprovalDecision> DecideAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BillRow bill, DateTime now)
    {
        var vendorHasApprovers = bill.VendorId is { } vendorId && await conn.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM vendor_approvers WHERE company_id = @companyId AND vendor_id = @vendorId)",
            new { companyId = bill.CompanyId, vendorId }, tx);
        var threshold = await conn.ExecuteScalarAsync<long?>(
            "SELECT amount_threshold FROM invoice_approval_rules WHERE company_id = @companyId", new { companyId = bill.CompanyId }, tx);
        var currency = bill.Currency.Trim();
        var (_, company) = await CurrenciesOfAsync(conn, tx, bill.CompanyId, bill.CompanyEntityId);
        var rate = vendorHasApprovers || threshold is null || currency == company
            ? 1m
            : bill.GroupFxRateOverride ?? await RateAsync(conn, tx, currency, company, bill.IssuedDate ?? DateOnly.FromDateTime(now), "groupCurrencyFxRateOverride");
        return BillApproval.Decide(new BillApprovalInput(vendorHasApprovers, threshold, company, bill.Amount ?? 0, currency, rate));
    }

    public async Task<IReadOnlyList<ApprovalModel>> ListApprovalsAsync(Guid companyId, Guid[] billIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        var approvals = (await conn.QueryAsync<ApprovalRow>("""
            SELECT a.id, a.invoice_payable_id, a.status, a.note, a.completed_at, a.created_at, a.updated_at, b.invoice_number,
                   b.amount AS invoice_amount, trim(b.currency) AS invoice_currency, b.issued_date AS invoice_issued_date, b.due_date AS invoice_due_date
              FROM invoice_approvals a JOIN invoice_payables b ON b.company_id = a.company_id AND b.id = a.invoice_payable_id
             WHERE a.company_id = @companyId AND (cardinality(@billIds) = 0 OR a.invoice_payable_id = ANY(@billIds))
             ORDER BY a.created_at DESC, a.id DESC LIMIT 200
            """, new { companyId, billIds })).ToList();
        var ids = approvals.Select(a => a.Id).ToArray();
        var steps = (await conn.QueryAsync<StepRow>(
                $"SELECT {StepRow.Columns} FROM invoice_user_approvals WHERE company_id = @companyId AND approval_id = ANY(@ids) ORDER BY priority, created_at, id",
                new { companyId, ids }))
            .ToLookup(s => s.ApprovalId);
        return approvals.Select(a => new ApprovalModel(a.Id, companyId, a.InvoicePayableId, a.InvoiceNumber, a.InvoiceAmount ?? 0, a.InvoiceCurrency,
            a.InvoiceIssuedDate, a.InvoiceDueDate, steps[a.Id].Select(s => s.ToModel()).ToList(), a.Note, a.Status, a.CompletedAt, a.UpdatedAt,
            a.CreatedAt)).ToList();
    }
}
