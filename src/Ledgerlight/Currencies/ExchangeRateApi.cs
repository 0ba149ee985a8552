namespace Ledgerlight.Currencies;

/// <summary>
/// getRate and getRates: ECB reference rates between any two currencies the data covers, for a
/// date (default today, UTC). The effective date is the publication used: a Saturday's rate is
/// Friday's. Rates are reference data shared by every company.
/// </summary>
public static class ExchangeRateApi
{
    public static void MapExchangeRateApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/exchange/rates/{base}/{target}", async (string @base, string target, HttpContext ctx,
                ExchangeRateStore store, TimeProvider clock) =>
            {
                var v = new Validation();
                CheckCurrency(v, @base, "base");
                CheckCurrency(v, target, "target");
                var date = RequestedDate(v, ctx, clock);
                v.ThrowIfAny();
                var rate = await store.FindAsync(@base, target, date)
                           ?? throw await NotFoundAsync(store, [@base, target], $"from {@base} to {target}", date, ctx.RequestAborted);
                return ApiResults.Ok(rate);
            })
            .WithName("getRate")
            .RequirePermission(Permissions.Read("exchange"));

        app.MapGet("/v1/exchange/rates/{currency}", async (string currency, HttpContext ctx, ExchangeRateStore store,
                TimeProvider clock) =>
            {
                var v = new Validation();
                CheckCurrency(v, currency, "currency");
                var date = RequestedDate(v, ctx, clock);
                v.ThrowIfAny();
                var rates = await store.FindAllAsync(currency, date, ctx.RequestAborted)
                            ?? throw await NotFoundAsync(store, [currency], $"from {currency}", date, ctx.RequestAborted);
                return ApiResults.Ok(rates);
            })
            .WithName("getRates")
            .RequirePermission(Permissions.Read("exchange"));
    }

    /// <summary>
    /// Codes are taken as ISO 4217 writes them, upper case, as in Light's examples: accepting "usd"
    /// here could let a client work against Ledgerlight that fails against Light.
    /// </summary>
    static void CheckCurrency(Validation v, string code, string parameter)
    {
        if (!CurrencyCodes.IsKnown(code))
            v.Add($"'{parameter}' must be an ISO 4217 currency code such as USD, got '{Shorten(code)}'", parameter);
    }

    static DateOnly RequestedDate(Validation v, HttpContext ctx, TimeProvider clock)
    {
        var raw = ctx.Request.Query["date"].ToString();
        if (raw.Length == 0) return DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        v.Add($"'date' must be a date (YYYY-MM-DD), got '{Shorten(raw)}'", "date");
        return default;
    }

    /// <summary>Says which it is: a currency the reference rates never cover, or a date before they start.</summary>
    static async Task<ApiException> NotFoundAsync(ExchangeRateStore store, string[] currencies, string what, DateOnly date,
        CancellationToken ct)
    {
        var first = await store.FirstDatesAsync(currencies, ct);
        var uncovered = currencies.Where(c => !first.ContainsKey(c)).Distinct().ToList();
        var message = uncovered.Contains(ExchangeRateStore.Euro)
            ? "No exchange rates are loaded (see the 'rates load' command)"
            : uncovered.Count > 0
            ? $"No exchange rates for {string.Join(" or ", uncovered)}: the reference rates (ECB) do not include it"
            : $"No exchange rate {what} on or before {date:yyyy-MM-dd}: the reference rates start on {first.Values.Max():yyyy-MM-dd}";
        return new ApiException(404, "NOT_FOUND", message);
    }

    static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "…";
}
