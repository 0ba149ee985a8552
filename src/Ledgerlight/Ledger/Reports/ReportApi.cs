using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Ledger.Reports;

/// <summary>Financial statements and period close: Ledgerlight extensions, not part of Light's API.</summary>
public static class ReportApi
{
    public static void MapReportApi(this IEndpointRouteBuilder app)
    {
        MapReport(app, "/v1/reports/trial-balance", "getTrialBalance", new LedgerlightExtension("Trial balance",
                "Debit and credit totals per account of an entity as of a date (query: companyEntityId, asOf, ledgerName), in the entity's currency. Its difference is always zero."),
            async r =>
            {
                var asOf = DateParam(r.Http, "asOf") ?? r.Today;
                var ledger = QueryFlags.OneOf(r.Http, "ledgerName", ["PRIMARY", "ELIMINATION"]) ?? "PRIMARY";
                return ReportRules.TrialBalance(r.EntityId, ledger, asOf, r.Currency, await r.BalancesAsync(ledger, null, asOf));
            });

        MapReport(app, "/v1/reports/balance-sheet", "getBalanceSheet", new LedgerlightExtension("Balance sheet",
                "Assets, liabilities and equity of an entity as of a date (query: companyEntityId, asOf), with the result to date; assets = liabilities + equity + currentResult."),
            async r =>
            {
                var asOf = DateParam(r.Http, "asOf") ?? r.Today;
                return ReportRules.BalanceSheet(r.EntityId, asOf, r.Currency, await r.BalancesAsync("PRIMARY", null, asOf));
            });

        MapReport(app, "/v1/reports/profit-and-loss", "getProfitAndLoss", new LedgerlightExtension("Profit and loss",
                "Income and expenses of an entity for a period (query: companyEntityId, from, to; default: the year to date)."),
            async r =>
            {
                var to = DateParam(r.Http, "to") ?? r.Today;
                var from = DateParam(r.Http, "from") ?? new DateOnly(to.Year, 1, 1);
                if (from > to) throw ApiException.BadRequest("'from' must not be after 'to'", "from");
                return ReportRules.ProfitAndLoss(r.EntityId, from, to, r.Currency, await r.BalancesAsync("PRIMARY", from, to));
            });

        app.MapGet("/v1/ledger/period-locks/{companyEntityId}", async (string companyEntityId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                var (entityId, _) = await EntityAsync(conn, companyId, companyEntityId);
                return ApiResults.Ok(new PeriodLock(entityId, await PostingEngine.LockedThroughAsync(conn, null, companyId, entityId)));
            })
            .WithName("getPeriodLock")
            .WithMetadata(new LedgerlightExtension("Get period lock", "The date through which the entity's books are closed (null when open)."))
            .RequirePermission(Permissions.Read("ledger"));

        app.MapPut("/v1/ledger/period-locks/{companyEntityId}", async (string companyEntityId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var companyId = ctx.Principal().CompanyId;
                var request = await RequestBody.ReadAsync<PeriodLockRequest>(ctx);
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                var (entityId, _) = await EntityAsync(conn, companyId, companyEntityId);
                if (request.LockedThrough is null)
                    await conn.ExecuteAsync("DELETE FROM period_locks WHERE company_id = @companyId AND company_entity_id = @entityId", new { companyId, entityId });
                else
                    await conn.ExecuteAsync("""
                        INSERT INTO period_locks (company_id, company_entity_id, locked_through, updated_at) VALUES (@companyId, @entityId, @through, @now)
                        ON CONFLICT (company_id, company_entity_id) DO UPDATE SET locked_through = EXCLUDED.locked_through, updated_at = EXCLUDED.updated_at
                        """, new { companyId, entityId, through = request.LockedThrough.Value, now = clock.GetUtcNow().UtcDateTime });
                return ApiResults.Ok(new PeriodLock(entityId, request.LockedThrough));
            })
            .WithName("setPeriodLock")
            .WithMetadata(new LedgerlightExtension("Close the books through a date",
                "Body {\"lockedThrough\": \"YYYY-MM-DD\"} (null reopens). Postings dated on or before it are refused with 422; reversals land on the next open day."))
            .RequirePermission(Permissions.Write("ledger"));
    }

    /// <summary>What every statement starts from: the request, its open connection and the entity it is about (companyEntityId).</summary>
    sealed record ReportScope(HttpContext Http, NpgsqlConnection Connection, Guid CompanyId, Guid EntityId, string Currency, DateOnly Today)
    {
        public Task<List<AccountBalance>> BalancesAsync(string ledgerName, DateOnly? from, DateOnly to) =>
            ReportApi.BalancesAsync(Connection, CompanyId, EntityId, ledgerName, from, to);
    }

    /// <summary>A statement endpoint: resolves the entity on one connection, then answers with <paramref name="report"/>.</summary>
    static void MapReport<T>(IEndpointRouteBuilder app, string pattern, string name, LedgerlightExtension extension, Func<ReportScope, Task<T>> report) =>
        app.MapGet(pattern, async (HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                var (entityId, currency) = await EntityAsync(conn, companyId, ctx.Request.Query["companyEntityId"]);
                return ApiResults.Ok(await report(new ReportScope(ctx, conn, companyId, entityId, currency, Today(clock))));
            })
            .WithName(name)
            .WithMetadata(extension)
            .RequirePermission(Permissions.Read("ledger"));

    public sealed record PeriodLockRequest(DateOnly? LockedThrough);
    public sealed record PeriodLock(Guid CompanyEntityId, DateOnly? LockedThrough);

    static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    static DateOnly? DateParam(HttpContext ctx, string name)
    {
        var raw = ctx.Request.Query[name].ToString();
        if (raw.Length == 0) return null;
        return DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw ApiException.BadRequest($"'{name}' must be a date (YYYY-MM-DD)", name);
    }

    /// <summary>The named entity of the caller's company, or its only entity when none is named.</summary>
    static async Task<(Guid Id, string Currency)> EntityAsync(NpgsqlConnection conn, Guid companyId, string? raw)
    {
        var entities = (await conn.QueryAsync<(Guid Id, string Currency)>(
            "SELECT id, trim(local_currency) FROM company_entities WHERE company_id = @companyId ORDER BY sort_position, id", new { companyId })).ToList();
        if (string.IsNullOrEmpty(raw))
            return entities.Count == 1 ? entities[0] : throw ApiException.MissingParameter("companyEntityId");
        var id = Ids.Parse(raw, "companyEntityId");
        return entities.FirstOrDefault(e => e.Id == id) is { Currency: not null } found ? found : throw ApiException.NotFound("Company entity");
    }

    /// <summary>Sums per-day balances (never individual lines), so a report costs the same at any ledger size.</summary>
    static async Task<List<AccountBalance>> BalancesAsync(NpgsqlConnection conn, Guid companyId, Guid entityId, string ledgerName, DateOnly? from, DateOnly to)
    {
        try
        {
            return await QueryBalancesAsync(conn, companyId, entityId, ledgerName, from, to);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw Limits.Overflow("An account's balance over this period");
        }
    }

    static async Task<List<AccountBalance>> QueryBalancesAsync(NpgsqlConnection conn, Guid companyId, Guid entityId, string ledgerName, DateOnly? from, DateOnly to) =>
        (await conn.QueryAsync<AccountBalance>("""
            SELECT a.id AS AccountId, a.code AS Code, a.label AS Label, a.type AS Type, a.category AS Category,
                   sum(b.debit_local)::bigint AS Debit, sum(b.credit_local)::bigint AS Credit
              FROM account_daily_balances b JOIN ledger_accounts a ON a.company_id = b.company_id AND a.id = b.account_id
             WHERE b.company_id = @companyId AND b.company_entity_id = @entityId AND b.ledger_name = @ledgerName
               AND b.day <= @to AND (@from::date IS NULL OR b.day >= @from)
             GROUP BY a.id, a.code, a.label, a.type, a.category
             ORDER BY a.code
            """, new { companyId, entityId, ledgerName, from, to })).ToList();
}
