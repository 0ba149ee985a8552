namespace Ledgerlight.Spend.Expenses;

/// <summary>
/// An expense's line items. Each write goes through <see cref="ExpenseStore.ChangeAsync"/> (lock, access, lifecycle), and
/// afterwards every billing amount the caller did not give is re-derived from the original amount.
/// </summary>
public sealed class ExpenseLineStore(ExpenseStore expenses, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<ExpenseLineModel?> CreateAsync(Principal principal, Guid expenseId, ExpenseLineRequest r)
    {
        var v = new Validation();
        ExpenseRules.CheckLine(r, v);
        v.ThrowIfAny();
        Guid lineId = Guid.Empty;
        var expense = await expenses.ChangeAsync(principal, expenseId, ExpenseAction.Edit, async s =>
        {
            await CheckReferencesAsync(s, r.AccountId);
            var count = await s.Connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM expense_line_items WHERE company_id = @companyId AND expense_id = @expenseId",
                new { companyId = s.CompanyId, expenseId }, s.Transaction);
            Limits.LineCount(count + 1, "lineItems", Limits.MaxLinesPerDocument);
            lineId = await InsertAsync(s.Connection, s.Transaction, s.CompanyId, expenseId, r, Now);
            await ExpenseStore.RecomputeAsync(s.Connection, s.Transaction, s.Row);
        });
        return expense?.LineItems.Single(l => l.Id == lineId);
    }

    /// <summary>A new line; its billing amount is the one given, else derived by <see cref="ExpenseStore.RecomputeAsync"/>.</summary>
    public static async Task<Guid> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid expenseId, ExpenseLineRequest r, DateTime now)
    {
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO expense_line_items (company_id, id, expense_id, original_amount, billing_amount, billing_amount_given, account_id,
                                            cost_center_id, description, reimbursement_category_id, created_at, updated_at)
            VALUES (@companyId, @id, @expenseId, @OriginalAmount, @BillingAmount, @given, @AccountId, @CostCenterId, @Description,
                    @ReimbursementCategoryId, @now, @now)
            """, new
        {
            companyId, id, expenseId, r.OriginalAmount, r.BillingAmount, given = r.BillingAmount is not null, r.AccountId, r.CostCenterId,
            r.Description, r.ReimbursementCategoryId, now,
        }, tx);
        return id;
    }

    /// <summary>PATCH of a line: a field sent as null clears it; clearing billingAmount makes it derived again.</summary>
    public async Task<ExpenseLineModel?> PatchAsync(Principal principal, Guid expenseId, Guid lineId, ExpenseLineRequest r, JsonElement body)
    {
        var v = new Validation();
        ExpenseRules.CheckLine(r, v);
        v.ThrowIfAny();
        var expense = await expenses.ChangeAsync(principal, expenseId, ExpenseAction.Edit, async s =>
        {
            await RequireLineAsync(s, lineId);
            await CheckReferencesAsync(s, r.AccountId);
            var set = new PatchSet(body, new { companyId = s.CompanyId, expenseId, lineId, now = Now })
                .Columns(r, nameof(r.OriginalAmount), nameof(r.BillingAmount), nameof(r.AccountId), nameof(r.CostCenterId), nameof(r.Description),
                    nameof(r.ReimbursementCategoryId));
            if (set.Has("billingAmount")) set.Always("billing_amount_given", "given", r.BillingAmount is not null);
            set.Raw("updated_at = @now");
            await s.Connection.ExecuteAsync(
                $"UPDATE expense_line_items SET {set.Clause} WHERE company_id = @companyId AND expense_id = @expenseId AND id = @lineId",
                set.Parameters, s.Transaction);
            await ExpenseStore.RecomputeAsync(s.Connection, s.Transaction, s.Row);
        });
        return expense?.LineItems.Single(l => l.Id == lineId);
    }

    public async Task<ExpenseModel?> DeleteAsync(Principal principal, Guid expenseId, Guid lineId)
    {
        return await expenses.ChangeAsync(principal, expenseId, ExpenseAction.Edit, async s =>
        {
            if (await s.Connection.ExecuteAsync(
                    "DELETE FROM expense_line_items WHERE company_id = @companyId AND expense_id = @expenseId AND id = @lineId",
                    new { companyId = s.CompanyId, expenseId, lineId }, s.Transaction) == 0)
                throw LineNotFound(); // inside the transaction: the expense's move to IN_DRAFT is undone too
        });
    }

    static ApiException LineNotFound() => ApiException.NotFound("Expense line item");

    /// <summary>An unknown line is a 404 thrown inside the transaction, so nothing (not even the expense's state) changes.</summary>
    static async Task RequireLineAsync(DocumentScope<ExpenseRow> s, Guid lineId)
    {
        if (!await s.Connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM expense_line_items WHERE company_id = @companyId AND expense_id = @expenseId AND id = @lineId)",
                new { companyId = s.CompanyId, expenseId = s.Row.Id, lineId }, s.Transaction))
            throw LineNotFound();
    }

    static async Task CheckReferencesAsync(DocumentScope<ExpenseRow> s, Guid? accountId)
    {
        if (accountId is { } id && !await s.Connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM ledger_accounts WHERE company_id = @companyId AND id = @id)", new { companyId = s.CompanyId, id }, s.Transaction))
            throw ApiException.BadRequest($"Ledger account {id} does not exist", "accountId");
    }
}
