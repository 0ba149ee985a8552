using NpgsqlTypes;

namespace Ledgerlight.Currencies;

/// <summary>A rate between two currencies and the ECB publication date it comes from (ExternalExchangeRateV1Model).</summary>
public sealed record ExchangeRate(string Base, string Target, decimal Rate, DateOnly EffectiveDate, DateOnly RequestedDate);

/// <summary>
/// Reads reference rates stored as "units per 1 EUR" (the ECB's form). A cross rate base→target is
/// target/base from the latest publication on or before the requested date that has both
/// (weekends and holidays fall back to the previous business day, as Light documents).
/// </summary>
public sealed class ExchangeRateStore(NpgsqlDataSource db)
{
    public const string Euro = "EUR";

    /// <summary>Rates keep 10 decimals, and at least 10 significant digits when they are small (IDR→GBP is 0.0000443…).</summary>
    public const int Digits = 10;

    public async Task<ExchangeRate?> FindAsync(string baseCurrency, string target, DateOnly date)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await FindAsync(conn, null, baseCurrency, target, date);
    }

    public static async Task<ExchangeRate?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string baseCurrency, string target, DateOnly date)
    {
        if (baseCurrency == target) return new ExchangeRate(baseCurrency, target, 1m, date, date);
        // Walks one currency's dates backwards on the primary key and stops at the first date the other
        // currency also has: one or two index probes, however long the history.
        await using var cmd = baseCurrency == Euro || target == Euro
            ? new NpgsqlCommand("""
                SELECT rate_date, per_eur FROM exchange_rates
                 WHERE currency = $1 AND rate_date <= $2
                 ORDER BY rate_date DESC LIMIT 1
                """, conn, tx)
            : new NpgsqlCommand("""
                SELECT b.rate_date, b.per_eur, t.per_eur
                  FROM exchange_rates b
                  JOIN exchange_rates t ON t.currency = $3 AND t.rate_date = b.rate_date
                 WHERE b.currency = $1 AND b.rate_date <= $2
                 ORDER BY b.rate_date DESC LIMIT 1
                """, conn, tx);
        var euroSide = baseCurrency == Euro || target == Euro;
        cmd.Parameters.Add(Code(euroSide && baseCurrency == Euro ? target : baseCurrency));
        cmd.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });
        if (!euroSide) cmd.Parameters.Add(Code(target));

        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var effective = reader.GetFieldValue<DateOnly>(0);
        var (basePerEur, targetPerEur) = euroSide
            ? baseCurrency == Euro ? (1m, reader.GetDecimal(1)) : (reader.GetDecimal(1), 1m)
            : (reader.GetDecimal(1), reader.GetDecimal(2));
        return new ExchangeRate(baseCurrency, target, Cross(basePerEur, targetPerEur), effective, date);
    }

    /// <summary>
    /// Rates from <paramref name="baseCurrency"/> to every other currency published on the latest
    /// publication on or before the date that has the base (EUR included when the base is not EUR),
    /// ordered by target; null when there is no such publication.
    /// </summary>
    public async Task<IReadOnlyList<ExchangeRate>?> FindAllAsync(string baseCurrency, DateOnly date, CancellationToken ct = default)
    {
        var latest = baseCurrency == Euro
            ? "SELECT max(rate_date) AS rate_date, 1::numeric AS per_eur FROM exchange_rates WHERE rate_date <= $2 HAVING max(rate_date) IS NOT NULL"
            : "SELECT rate_date, per_eur FROM exchange_rates WHERE currency = $1 AND rate_date <= $2 ORDER BY rate_date DESC LIMIT 1";
        await using var cmd = db.CreateCommand($"""
            WITH d AS ({latest})
            SELECT d.rate_date, d.per_eur, r.currency, r.per_eur
              FROM d LEFT JOIN exchange_rates r ON r.rate_date = d.rate_date AND r.currency <> $1
             ORDER BY r.currency
            """);
        cmd.Parameters.Add(Code(baseCurrency));
        cmd.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });

        var rates = new List<ExchangeRate>();
        DateOnly? effective = null;
        decimal basePerEur = 1m;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                effective = reader.GetFieldValue<DateOnly>(0);
                basePerEur = reader.GetDecimal(1);
                if (reader.IsDBNull(2)) continue;
                rates.Add(new ExchangeRate(baseCurrency, reader.GetString(2).Trim(), Cross(basePerEur, reader.GetDecimal(3)), effective.Value, date));
            }
        if (effective is null) return null;
        if (baseCurrency != Euro) rates.Add(new ExchangeRate(baseCurrency, Euro, Cross(basePerEur, 1m), effective.Value, date));
        return rates.OrderBy(r => r.Target, StringComparer.Ordinal).ToList();
    }

    /// <summary>The first publication date of each currency that has any rate (EUR: the first of all).</summary>
    public async Task<Dictionary<string, DateOnly>> FirstDatesAsync(IEnumerable<string> currencies, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.code, CASE WHEN c.code = 'EUR' THEN (SELECT min(rate_date) FROM exchange_rates)
                                ELSE (SELECT min(rate_date) FROM exchange_rates WHERE currency = c.code::char(3)) END
              FROM unnest($1::text[]) AS c(code)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = currencies.Distinct().ToArray() });
        var first = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (!reader.IsDBNull(1)) first[reader.GetString(0)] = reader.GetFieldValue<DateOnly>(1);
        return first;
    }

    /// <summary>target per base, from two per-EUR rates, rounded once here so every caller sees the same number.</summary>
    public static decimal Cross(decimal basePerEur, decimal targetPerEur)
    {
        var rate = targetPerEur / basePerEur;
        if (rate == 0m) return rate;
        var leadingDigitPower = (int)Math.Floor(Math.Log10((double)Math.Abs(rate)));
        var decimals = Math.Clamp(Math.Max(Digits, Digits - 1 - leadingDigitPower), 0, 28);
        return decimal.Round(rate, decimals, MidpointRounding.AwayFromZero);
    }

    // Typed as char(n) so the comparison with the char(3) column stays on the primary key's index.
    static NpgsqlParameter Code(string code) => new() { Value = code, NpgsqlDbType = NpgsqlDbType.Char };
}
