namespace Ledgerlight.Banking;

public static class BankingApi
{
    /// <summary>Every route of the Banking area.</summary>
    public static void MapBankingApi(this IEndpointRouteBuilder app)
    {
        app.MapBankAccountApi();
        app.MapBankTransactionApi();
    }
}

public static class BankAccountApi
{
    public static void MapBankAccountApi(this IEndpointRouteBuilder app)
    {
        // Light documents this one as a plain array, not a page.
        app.MapGet("/v1/bank-accounts", async (HttpContext ctx, BankAccountStore store) =>
            {
                var rows = await store.ListAsync(ctx.Principal().CompanyId, ctx.RequestAborted);
                return ApiResults.Ok(rows.Select(r => r.ToModel()).ToList());
            })
            .WithName("getBankAccountsForCompany")
            .RequirePermission(Permissions.Read("banking"));

        app.MapPost("/v1/bank-accounts", async (HttpContext ctx, BankAccountStore store) =>
            {
                var request = await RequestBody.ReadValidAsync<CreateBankAccountRequest>(ctx, (x, v) => x.Validate(v));
                var principal = ctx.Principal();
                var row = await store.CreateAsync(principal.CompanyId, principal.UserId, request, ctx.RequestAborted);
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("createBankAccount")
            .RequirePermission(Permissions.Write("banking"));

        app.MapGet("/v1/bank-accounts/{bankAccountId}/balance", async (string bankAccountId, HttpContext ctx, BankAccountStore store,
                TimeProvider clock) =>
            {
                var id = Ids.Parse(bankAccountId, "bankAccountId");
                var asOf = AsOf(ctx, clock);
                var account = await store.GetAsync(ctx.Principal().CompanyId, id, ctx.RequestAborted)
                              ?? throw ApiException.NotFound("Bank account");
                var (opening, movements, ledger) = await store.BalancesAsync(account, asOf, ctx.RequestAborted);
                // Without an opening balance the statement balance is unknown, not zero.
                return ApiResults.Ok(new BankAccountBalanceAsOfModel(account.Id, account.Currency, 
                    opening is { } o ? Limits.Add(o, movements, "The bank balance") : null, ledger, asOf));
            })
            .WithName("getBankAccountBalance")
            .RequirePermission(Permissions.Read("banking"));

        app.MapPut("/v1/bank-accounts/{bankAccountId}/balance", async (string bankAccountId, HttpContext ctx, BankAccountStore store,
                TimeProvider clock) =>
            {
                var id = Ids.Parse(bankAccountId, "bankAccountId");
                var request = await RequestBody.ReadValidAsync<UpsertBankAccountBalanceRequest>(ctx, (x, v) => x.Validate(v));
                var companyId = ctx.Principal().CompanyId;
                _ = await store.GetAsync(companyId, id, ctx.RequestAborted) ?? throw ApiException.NotFound("Bank account");
                var balance = await store.UpsertOpeningBalanceAsync(companyId, id, request.Balance!.Value,
                    request.BalanceAt ?? clock.GetUtcNow().UtcDateTime, ctx.RequestAborted);
                return ApiResults.Ok(balance);
            })
            .WithName("upsertBankAccountBalance")
            .RequirePermission(Permissions.Write("banking"));
    }

    /// <summary>asOf=YYYY-MM-DD; today (UTC) when absent.</summary>
    static DateOnly AsOf(HttpContext ctx, TimeProvider clock)
    {
        var raw = ctx.Request.Query["asOf"].ToString();
        if (raw.Length == 0) return DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw ApiException.BadRequest("'asOf' must be a date (YYYY-MM-DD)", "asOf");
    }
}
