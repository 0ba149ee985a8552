using Ledgerlight.Currencies;
using Ledgerlight.Documents;

namespace Ledgerlight.Spend.Expenses;

/// <summary>
/// Expenses: born with their upload URL, shown once the receipt arrives, edited while pending, cancelled.
/// Lines are <see cref="ExpenseLineStore"/>, the submit <see cref="ExpenseSubmission"/>.
/// </summary>
/// <remarks>
/// Why the expense row is written at upload-url time (PENDING_UPLOAD) instead of hooking the /files upload: the
/// upload endpoint belongs to Documents and knows nothing of its purpose, and a hook there would couple every
/// upload to expenses. Here the row exists before the file, so nothing is ever lost between the two; it turns
/// CREATED (and its receipt is read for a prefill) the first time any expense call finds its blob recorded
/// (<see cref="ActivateUploadsAsync"/>), which is before anyone can see it. An upload URL that is never used
/// leaves a hidden row behind, which nothing reads.
/// </remarks>
public sealed class ExpenseStore(NpgsqlDataSource db, SignedUrls urls, IBlobStore blobs, TimeProvider clock)
{
    public const string Purpose = "expenses";
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<ExpenseUploadUrlModel> CreateForUploadAsync(Principal principal, ExpenseUploadUrlRequest r)
    {
        var userId = ExpenseSubmission.RequireUser(principal, "upload a receipt");
        Validation.Check(v => SignedUrls.CheckUpload(v, r.ContentType, required: false, r.Filename, "filename"));

        var companyId = principal.CompanyId;
        var upload = urls.ForUpload(companyId, Purpose, r.ContentType);
        var id = Ids.New();
        await using var conn = await db.OpenConnectionAsync();
        // The user's reimbursement currency, else the company's base currency; the receipt's currency starts as the same.
        var currency = await conn.ExecuteScalarAsync<string>("""
            SELECT COALESCE((SELECT trim(currency) FROM user_reimbursement_configs WHERE company_id = @companyId AND user_id = @userId),
                            (SELECT trim(base_currency) FROM companies WHERE id = @companyId))
            """, new { companyId, userId });
        await conn.ExecuteAsync("""
            INSERT INTO expenses (company_id, id, user_id, receipt_document_key, receipt_file_name, original_currency, billing_currency,
                                  status, created_at, updated_at)
            VALUES (@companyId, @id, @userId, @key, @Filename, @currency, @currency, @status, @now, @now)
            """, new { companyId, id, userId, key = upload.BlobKey, r.Filename, currency, status = ExpenseState.PendingUpload, now = Now });
        var metadata = new Dictionary<string, string> { ["expenseId"] = id.ToString() };
        if (upload.ContentType is { } pinned) metadata["Content-Type"] = pinned;
        return new ExpenseUploadUrlModel(upload.Url, upload.BlobKey, metadata);
    }

    /// <summary>
    /// Every PENDING_UPLOAD expense of the company whose receipt has arrived becomes CREATED, prefilled with what a text PDF
    /// says (<see cref="ReceiptScan"/>). Rows another request is activating are skipped, not waited for.
    /// </summary>
    public async Task ActivateUploadsAsync(Guid companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // One round trip on this path every expense request takes: return the expenses of cancelled bills, then
        // pick up the uploads that arrived.
        int returned;
        List<ExpenseRow> arrived;
        await using (var grid = await conn.QueryMultipleAsync($"""
            UPDATE expenses x SET status = @returned, reimbursement_id = NULL, updated_at = @now
              FROM reimbursements r
              JOIN invoice_payables b ON b.company_id = r.company_id AND b.id = r.invoice_payable_id
             WHERE x.company_id = @companyId AND x.status = @submitted
               AND r.company_id = x.company_id AND r.id = x.reimbursement_id AND b.state = ANY(@billStates)
            RETURNING x.id;
            SELECT {ExpenseRow.Columns} FROM expenses x
              JOIN blobs b ON b.company_id = x.company_id AND b.key = x.receipt_document_key
             WHERE x.company_id = @companyId AND x.status = @pending
             FOR UPDATE OF x SKIP LOCKED
            """, new
        {
            companyId, now = Now, pending = ExpenseState.PendingUpload, submitted = ExpenseState.Submitted,
            billStates = ExpenseLifecycle.ReturningBillStates, returned = ExpenseLifecycle.Next(ExpenseState.Submitted, ExpenseAction.Return),
        }, tx))
        {
            returned = (await grid.ReadAsync<Guid>()).Count();
            arrived = (await grid.ReadAsync<ExpenseRow>()).ToList();
        }
        if (arrived.Count == 0 && returned == 0) return;
        foreach (var expense in arrived)
        {
            var facts = ReadReceipt(expense.ReceiptDocumentKey);
            var currency = facts.Currency ?? expense.OriginalCurrency;
            await conn.ExecuteAsync("""
                UPDATE expenses SET status = @status, original_currency = @currency, performed_date = @date, updated_at = @now
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, id = expense.Id, status = ExpenseLifecycle.Next(expense.Status, ExpenseAction.Activate), currency, date = facts.Date, now = Now,
            }, tx);
            if (facts.Total is { } total)
                await ExpenseLineStore.InsertAsync(conn, tx, companyId, expense.Id, new ExpenseLineRequest(total, null, null, null, "Receipt total", null), Now);
            expense.OriginalCurrency = currency;
            expense.PerformedDate = facts.Date;
            await RecomputeAsync(conn, tx, expense);
        }
        await tx.CommitWriteAsync();
    }

    ReceiptFacts ReadReceipt(string key)
    {
        using var stream = blobs.OpenRead(key);
        return stream is null ? ReceiptFacts.None : ReceiptScan.Read(stream);
    }

    /// <summary>The expense if the caller may see it (another company's or user's is null: a 404).</summary>
    public async Task<ExpenseModel?> GetAsync(Principal principal, Guid id)
    {
        await ActivateUploadsAsync(principal.CompanyId);
        await using var conn = await db.OpenConnectionAsync();
        var row = await ExpenseRow.Table.FindAsync(conn, null, principal.CompanyId, id);
        if (!Visible(principal, row)) return null;
        return (await ModelsAsync(conn, null, principal.CompanyId, [row!]))[0];
    }

    public static bool Visible(Principal principal, ExpenseRow? row) =>
        row is not null && row.Status != ExpenseState.PendingUpload && ExpenseAccess.Sees(principal, row.UserId);

    public static async Task<List<ExpenseModel>> ModelsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, IReadOnlyList<ExpenseRow> rows)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        var lines = (await conn.QueryAsync<ExpenseLineRow>($"""
            SELECT {ExpenseLineRow.Columns} FROM expense_line_items WHERE company_id = @companyId AND expense_id = ANY(@ids) ORDER BY created_at, id
            """, new { companyId, ids }, tx)).ToLookup(l => l.ExpenseId);
        return rows.Select(r => r.ToModel(lines[r.Id].ToList())).ToList();
    }

    /// <summary>PATCH of the receipt's currency and date: a field sent as null clears it (the currency cannot be cleared).</summary>
    public Task<ExpenseModel?> PatchAsync(Principal principal, Guid id, UpdateExpenseRequest r, JsonElement body)
    {
        var v = new Validation();
        v.RefuseClearing(body, ["originalCurrency"]);
        ExpenseRules.CheckHeader(r, v);
        v.ThrowIfAny();
        return ChangeAsync(principal, id, ExpenseAction.Edit, async s =>
        {
            var set = new PatchSet(body, new { companyId = s.CompanyId, id, now = Now })
                .Columns(r, nameof(r.OriginalCurrency), nameof(r.PerformedDate))
                .Raw("updated_at = @now");
            await s.Connection.ExecuteAsync($"UPDATE expenses SET {set.Clause} WHERE company_id = @companyId AND id = @id", set.Parameters, s.Transaction);
            await RecomputeAsync(s.Connection, s.Transaction, (await ExpenseRow.Table.FindAsync(s.Connection, s.Transaction, s.CompanyId, id))!);
        });
    }

    public Task<ExpenseModel?> CancelAsync(Principal principal, Guid id) => ChangeAsync(principal, id, ExpenseAction.Cancel, _ => Task.CompletedTask);

    /// <summary>
    /// The one write path of an expense (its lines included): activate arrived uploads, lock the expense, refuse what the
    /// caller may not see (404) or change (403) and what its state does not allow, move it to the action's state, run the change.
    /// </summary>
    public async Task<ExpenseModel?> ChangeAsync(Principal principal, Guid id, ExpenseAction action, Func<DocumentScope<ExpenseRow>, Task> change)
    {
        await ActivateUploadsAsync(principal.CompanyId);
        return await DocumentCommand.RunAsync(db, ExpenseRow.Table, principal.CompanyId, id, async s =>
        {
            if (!Visible(principal, s.Row)) return null;
            ExpenseAccess.EnsureMayChange(principal, s.Row.UserId);
            var state = ExpenseLifecycle.Next(s.Row.Status, action);
            await s.Connection.ExecuteAsync("UPDATE expenses SET status = @state, updated_at = @now WHERE company_id = @companyId AND id = @id",
                new { companyId = s.CompanyId, id, state, now = Now }, s.Transaction);
            await change(s);
            var row = (await ExpenseRow.Table.FindAsync(s.Connection, s.Transaction, s.CompanyId, id))!;
            return (await ModelsAsync(s.Connection, s.Transaction, s.CompanyId, [row]))[0];
        });
    }

    /// <summary>Re-derives every line's billing amount the caller did not give, at the ECB rate of the performed date.</summary>
    public static async Task RecomputeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ExpenseRow expense)
    {
        var (from, to) = (expense.OriginalCurrency.Trim(), expense.BillingCurrency.Trim());
        decimal? rate = null;
        if (ExpenseConversion.NeedsRate(from, to) && expense.PerformedDate is { } date)
            rate = (await ExchangeRateStore.FindAsync(conn, tx, from, to, date))?.Rate;
        var lines = await conn.QueryAsync<ExpenseLineRow>($"""
            SELECT {ExpenseLineRow.Columns} FROM expense_line_items
             WHERE company_id = @CompanyId AND expense_id = @Id AND NOT billing_amount_given
            """, new { expense.CompanyId, expense.Id }, tx);
        foreach (var line in lines)
            await conn.ExecuteAsync("UPDATE expense_line_items SET billing_amount = @billing WHERE company_id = @companyId AND id = @id",
                new { companyId = expense.CompanyId, id = line.Id, billing = ExpenseConversion.Billing(line.OriginalAmount, null, from, to, rate) }, tx);
    }

    /// <summary>The receipt's key when the caller may see the expense and the file has arrived.</summary>
    public async Task<string?> ReceiptKeyAsync(Principal principal, Guid id)
    {
        await ActivateUploadsAsync(principal.CompanyId);
        await using var conn = await db.OpenConnectionAsync();
        var row = await ExpenseRow.Table.FindAsync(conn, null, principal.CompanyId, id);
        if (!Visible(principal, row)) return null;
        return await urls.FindUploadAsync(principal.CompanyId, row!.ReceiptDocumentKey, conn) is null ? null : row.ReceiptDocumentKey;
    }
}
