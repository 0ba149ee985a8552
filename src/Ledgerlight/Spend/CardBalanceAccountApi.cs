using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Spend;

public static class CardBalanceAccountApi
{
    static readonly QueryField EntityId = ListFields.EntityId("b");
    static readonly QueryField Status = ListFields.Status("b");
    static readonly QueryField CreatedAt = ListFields.CreatedAt("b");

    /// <summary>Sorts and filters as listed in listCardBalanceAccounts' parameter descriptions.</summary>
    public static readonly ListSpec<CardBalanceAccountRow> Spec = ListFields.SpecFrom<CardBalanceAccountRow>("b", "card_balance_accounts b",
        CardBalanceAccountRow.Columns, b => b.Id,
        [(EntityId, b => b.CompanyEntityId), (Status, b => b.Status), (CreatedAt, b => b.CreatedAt)],
        [
            ListFields.Id("b"), new("companyId", "b.company_id", FieldType.Uuid), EntityId,
            new("currency", "b.currency", FieldType.Text), Status, CreatedAt,
        ],
        ("createdAt", SortDirection.Asc));

    public static void MapCardBalanceAccountApi(this IEndpointRouteBuilder app)
    {
        app.MapPage<CardBalanceAccountRow, CardBalanceAccountModel>("/v1/card-balance-accounts", Spec, async (c, rows) =>
            {
                await using var conn = await c.Db.OpenConnectionAsync(c.Http.RequestAborted);
                var totals = await CardBalanceAccountStore.TotalsAsync(conn, null, c.CompanyId, rows.Select(r => r.Id).ToList());
                return rows.Select(r => r.ToModel(totals[r.Id])).ToList();
            })
            .WithName("listCardBalanceAccounts")
            .RequirePermission(Permissions.Read("cards"));

        app.MapGet("/v1/card-balance-accounts/{accountId}", async (string accountId, HttpContext ctx, CardBalanceAccountStore store) =>
                ApiResults.Ok(await store.GetModelAsync(ctx.Principal().CompanyId, Ids.Parse(accountId, "accountId"), ctx.RequestAborted)
                              ?? throw ApiException.NotFound("Card balance account")))
            .WithName("getCardBalanceAccount")
            .RequirePermission(Permissions.Read("cards"));

        app.MapGet("/v1/card-balance-accounts/{accountId}/total-spend", async (string accountId, HttpContext ctx, CardBalanceAccountStore store,
                TimeProvider clock) =>
            {
                var account = await FindAsync(ctx, store, accountId);
                var now = clock.GetUtcNow().UtcDateTime;
                var from = DateParam(ctx, "from") ?? FirstOfMonth(now);
                var to = DateParam(ctx, "to");
                var end = to is { } t ? DayStart(t.AddDays(1)) : now;
                if (DayStart(from) > end) throw ApiException.BadRequest("'to' must not be before 'from'", "to");
                var total = await store.SpendAsync(account, DayStart(from), end);
                return ApiResults.Ok(new CardSpendModel(account.Currency, total, DayStart(from), end));
            })
            .WithName("getCardBalanceAccountTotalSpend")
            .RequirePermission(Permissions.Read("cards"));

        app.MapGet("/v1/card-balance-accounts/{accountId}/statement", async (string accountId, HttpContext ctx, CardBalanceAccountStore store,
                TimeProvider clock) =>
            {
                var account = await FindAsync(ctx, store, accountId);
                var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                var from = DateParam(ctx, "from") ?? FirstOfMonth(clock.GetUtcNow().UtcDateTime);
                var given = DateParam(ctx, "to");
                var to = given ?? today;
                // Both days are included: the period runs from the start of `from` to the end of `to` (UTC). A `to` sent
                // must be after `from` (Light's parameter text); when absent it is today, which on the first of the month is
                // the default `from` itself, and a request without dates must not be refused for the calendar.
                if (given is { } t ? t <= from : to < from) throw ApiException.BadRequest("'to' must be after 'from'", "to");
                return ApiResults.Ok(await store.StatementAsync(account, DayStart(from), DayStart(to.AddDays(1))));
            })
            .WithName("generateCardBalanceAccountStatement")
            .RequirePermission(Permissions.Read("cards"));

        app.MapPost("/v1/card-balance-accounts/{accountId}/fundings", async (string accountId, HttpContext ctx, CardBalanceAccountStore store) =>
            {
                var id = Ids.Parse(accountId, "accountId");
                var request = await RequestBody.ReadValidAsync<FundCardBalanceAccountRequest>(ctx, (x, v) => x.Validate(v));
                return ApiResults.Ok(await store.FundAsync(ctx.Principal(), id, request) ?? throw ApiException.NotFound("Card balance account"));
            })
            .WithName("fundCardBalanceAccount")
            .WithMetadata(new LedgerlightExtension("Fund a card balance account",
                "Moves money from a bank account of the same entity and currency into the card balance account: posts Dr the card " +
                "account (CARD) / Cr the bank's ledger account and raises the available balance. Answers the balance account."))
            .RequirePermission(Permissions.Write("cards"));
    }

    static async Task<CardBalanceAccountRow> FindAsync(HttpContext ctx, CardBalanceAccountStore store, string accountId) =>
        await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(accountId, "accountId"), ctx.RequestAborted)
        ?? throw ApiException.NotFound("Card balance account");

    static DateOnly FirstOfMonth(DateTime now) => new(now.Year, now.Month, 1);

    static DateTime DayStart(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>A YYYY-MM-DD query parameter (a UTC calendar day), or null when absent.</summary>
    public static DateOnly? DateParam(HttpContext ctx, string name)
    {
        var raw = ctx.Request.Query[name].ToString();
        if (raw.Length == 0) return null;
        return DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw ApiException.BadRequest($"'{name}' must be a date (YYYY-MM-DD)", name);
    }
}
