using Ledgerlight.Organization.Users.Reimbursements;
using Ledgerlight.Payables.InvoicePayables;

namespace Ledgerlight.Spend.Expenses;

/// <summary>
/// POST /v1/expenses/submit: every pending expense of the calling user becomes one reimbursement, paid through one
/// invoice payable of type REIMBURSEMENT (created by <see cref="BillStore.CreateAsync"/>, one bill line per expense
/// line, in the user's reimbursement currency), which then follows the bill workflow. The expenses are claimed and the
/// reimbursement written in the bill's own transaction, so a concurrent submit cannot claim the same expense twice.
/// </summary>
public sealed class ExpenseSubmission(NpgsqlDataSource db, ExpenseStore expenses, BillStore bills, TimeProvider clock)
{
    /// <summary>The user behind the credential; a company key without one gets a 403 that says who can.</summary>
    public static Guid RequireUser(Principal principal, string what) => principal.UserId ?? throw ApiException.Forbidden(
        $"Only a user can {what}: this API key belongs to the company, not to a user. Use an API key bound to the user " +
        "(keys create --company <company> --role <role> --user <id or e-mail>) or the user's OAuth token.");

    public async Task<ReimbursementModel> SubmitAsync(Principal principal)
    {
        var userId = RequireUser(principal, "submit expenses");
        var companyId = principal.CompanyId;
        await expenses.ActivateUploadsAsync(companyId);
        var (pending, lines) = await PendingAsync(companyId, userId);
        var (request, paid) = ReimbursementBill.Request(pending, lines, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

        var reimbursementId = Ids.New();
        var expenseIds = pending.Select(e => e.Id).ToArray();
        var now = clock.GetUtcNow().UtcDateTime;
        await bills.CreateAsync(principal, request, new BillOrigin(BillType.Reimbursement, async (conn, tx, billId) =>
        {
            await conn.ExecuteAsync("""
                INSERT INTO reimbursements (company_id, id, user_id, expense_ids, status, created_at, invoice_payable_id)
                VALUES (@companyId, @reimbursementId, @userId, @expenseIds, @status, @now, @billId)
                """, new { companyId, reimbursementId, userId, expenseIds, status = ReimbursementStatus.InProgress, now, billId }, tx);
            var claimed = await conn.ExecuteAsync("""
                UPDATE expenses SET status = @submitted, reimbursement_id = @reimbursementId, updated_at = @now
                 WHERE company_id = @companyId AND user_id = @userId AND id = ANY(@expenseIds) AND status = ANY(@pendingStates)
                """, new
            {
                companyId, userId, expenseIds, reimbursementId, now, pendingStates = ExpenseState.Pending,
                submitted = ExpenseLifecycle.Machine.Next(ExpenseState.InDraft, ExpenseAction.Submit),
            }, tx);
            if (claimed != expenseIds.Length)
                throw ApiException.Conflict("Some of these expenses changed while they were being submitted; submit again");
            await LinkLinesAsync(conn, tx, companyId, billId, paid);
        }));
        return new ReimbursementModel(reimbursementId, companyId, userId, expenseIds, ReimbursementStatus.InProgress, now);
    }

    /// <summary>The bill's lines were inserted in the order of <paramref name="paid"/>: link each to the expense line it pays.</summary>
    static async Task LinkLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid billId, IReadOnlyList<ExpenseLineRow> paid)
    {
        var billLines = (await conn.QueryAsync<Guid>(
            "SELECT id FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId ORDER BY position",
            new { companyId, billId }, tx)).ToArray();
        await conn.ExecuteAsync("""
            INSERT INTO reimbursement_line_items (company_id, invoice_payable_line_id, expense_id, expense_line_id)
            SELECT @companyId, unnest(@billLines), unnest(@expenses), unnest(@expenseLines)
            """, new
        {
            companyId, billLines, expenses = paid.Select(l => l.ExpenseId).ToArray(), expenseLines = paid.Select(l => l.Id).ToArray(),
        }, tx);
    }

    async Task<(List<ExpenseRow> Expenses, List<ExpenseLineRow> Lines)> PendingAsync(Guid companyId, Guid userId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var rows = (await conn.QueryAsync<ExpenseRow>($"""
            SELECT {ExpenseRow.Columns} FROM expenses x
             WHERE x.company_id = @companyId AND x.user_id = @userId AND x.status = ANY(@pending) ORDER BY x.performed_date, x.created_at, x.id
            """, new { companyId, userId, pending = ExpenseState.Pending })).ToList();
        var ids = rows.Select(r => r.Id).ToArray();
        var lines = (await conn.QueryAsync<ExpenseLineRow>($"""
            SELECT {ExpenseLineRow.Columns} FROM expense_line_items WHERE company_id = @companyId AND expense_id = ANY(@ids) ORDER BY created_at, id
            """, new { companyId, ids })).ToList();
        return (rows, lines);
    }
}

/// <summary>The reimbursement's bill, no database: what must hold before expenses can be submitted, and the bill they make.</summary>
public static class ReimbursementBill
{
    /// <summary>The bill, and the expense lines its lines pay, in the bill's line order.</summary>
    public static (CreateBillRequest Bill, IReadOnlyList<ExpenseLineRow> Paid) Request(IReadOnlyList<ExpenseRow> expenses,
        IReadOnlyList<ExpenseLineRow> lines, DateOnly today)
    {
        if (expenses.Count == 0) throw ApiException.Unprocessable("There are no pending expenses to submit");
        var v = new Validation();
        var byExpense = lines.ToLookup(l => l.ExpenseId);
        for (var i = 0; i < expenses.Count; i++)
        {
            var e = expenses[i];
            if (e.PerformedDate is null) v.Add($"Expense {e.Id} has no performedDate", "expenses", i, "performedDate");
            if (!byExpense[e.Id].Any()) v.Add($"Expense {e.Id} has no line items", "expenses", i, "lineItems");
            foreach (var (line, j) in byExpense[e.Id].Select((l, j) => (l, j)))
                if (line.BillingAmount is null)
                    v.Add($"Line item {line.Id} of expense {e.Id} has no billingAmount (no originalAmount, or no ECB rate for its date)",
                        "expenses", i, "lineItems", j, "billingAmount");
        }
        var currencies = expenses.Select(e => e.BillingCurrency.Trim()).Distinct().ToList();
        if (currencies.Count > 1) v.Add($"Pending expenses are billed in several currencies ({string.Join(", ", currencies)})", "expenses");
        v.ThrowIfAny(422, "Some pending expenses are not complete enough to submit");

        var paid = expenses.SelectMany(e => byExpense[e.Id]).ToList();
        var performed = expenses.ToDictionary(e => e.Id, e => e.PerformedDate);
        var billLines = paid.Select(l => new BillLineRequest(
            null, l.BillingAmount, 0, l.Description ?? $"Expense of {performed[l.ExpenseId]:yyyy-MM-dd}", null, l.AccountId, null, null, null, null)).ToList();
        return (new CreateBillRequest(null, null, currencies[0], "DATA_ONLY", null, null, "Reimbursement of expenses", today, today, null, null,
            false, billLines, null, null, null), paid);
    }
}
