namespace Ledgerlight.Banking;

public static class BankTransactionApi
{
    static readonly QueryField ReconciliationStatus = new("reconciliationStatus", "t.reconciliation_status", FieldType.Enum);
    static readonly QueryField DcSign = new("dcSign", "t.dc_sign", FieldType.Enum);
    static readonly QueryField Date = new("date", "t.date", FieldType.Date);

    /// <summary>Sorts and filters as listed in listBankTransactions' parameter descriptions.</summary>
    public static readonly ListSpec<BankTransactionRow> Spec = ListFields.SpecFrom<BankTransactionRow>("t", "bank_transactions t",
        BankTransactionRow.Columns, t => t.Id,
        [
            (ReconciliationStatus, t => t.ReconciliationStatus),
            (DcSign, t => t.DcSign),
            (Date, t => t.Date),
            (new("amount", "t.amount", FieldType.Integer), t => t.Amount),
            (new("name", "t.name", FieldType.Text, Nullable: true), t => t.Name),
            (new("memo", "t.memo", FieldType.Text, Nullable: true), t => t.Memo),
        ],
        [ReconciliationStatus, DcSign, Date],
        // Newest first, as a statement is read; (date, id) is the index order.
        ("date", SortDirection.Desc));

    public static void MapBankTransactionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/bank-accounts/{bankAccountId}/bank-transactions", async (string bankAccountId, HttpContext ctx,
                NpgsqlDataSource db, BankAccountStore accounts, TimeProvider clock) =>
            {
                var id = Ids.Parse(bankAccountId, "bankAccountId");
                var list = QueryFlags.List(ctx);
                var companyId = ctx.Principal().CompanyId;
                var account = await accounts.GetAsync(companyId, id, ctx.RequestAborted) ?? throw ApiException.NotFound("Bank account");
                var page = await ListQuery.RunAsync(db, Spec, list, companyId,
                    where => where.Add($"t.bank_account_id = {where.Param(id)}"), ctx.RequestAborted);
                var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                var (opening, movements, _) = await accounts.BalancesAsync(account, today, ctx.RequestAborted);
                // The field is non-nullable here: without an opening balance the lines alone make the balance.
                return ApiResults.Ok(new BankTransactionPageModel(page.Total, page.Records.Select(t => t.ToModel()).ToList(),
                    (opening ?? 0) + movements, page.HasMore, page.NextCursor, page.PrevCursor));
            })
            .WithName("listBankTransactions")
            .RequirePermission(Permissions.Read("banking"));

        app.MapPost("/v1/bank-accounts/{bankAccountId}/bank-transactions", async (string bankAccountId, HttpContext ctx,
                BankAccountStore accounts, BankTransactionStore store) =>
            {
                var id = Ids.Parse(bankAccountId, "bankAccountId");
                var request = await RequestBody.ReadValidAsync<CreateBankTransactionsRequest>(ctx, (x, v) => x.Validate(v));
                var companyId = ctx.Principal().CompanyId;
                _ = await accounts.GetAsync(companyId, id, ctx.RequestAborted) ?? throw ApiException.NotFound("Bank account");
                var rows = await store.InsertAsync(companyId, id, BankTransactionRules.Plan(request.Transactions!), ctx.RequestAborted);
                // The body lists only the lines created; the headers say how the batch split.
                ctx.Response.Headers["X-Created-Count"] = rows.Count.ToString(CultureInfo.InvariantCulture);
                ctx.Response.Headers["X-Skipped-Count"] = (request.Transactions!.Count - rows.Count).ToString(CultureInfo.InvariantCulture);
                return ApiResults.Ok(rows.Select(t => t.ToModel()).ToList());
            })
            .WithName("createBankTransactions")
            .RequirePermission(Permissions.Write("banking"));

        app.MapGet("/v1/bank-accounts/{bankAccountId}/bank-transactions/{bankTransactionId}", async (string bankAccountId,
                string bankTransactionId, HttpContext ctx, BankTransactionStore store) =>
            {
                var accountId = Ids.Parse(bankAccountId, "bankAccountId");
                var transactionId = Ids.Parse(bankTransactionId, "bankTransactionId");
                var row = await store.GetAsync(ctx.Principal().CompanyId, accountId, transactionId, ctx.RequestAborted)
                          ?? throw ApiException.NotFound("Bank transaction");
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("getBankTransaction")
            .RequirePermission(Permissions.Read("banking"));
    }
}
