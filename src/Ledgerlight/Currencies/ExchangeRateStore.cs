using Npgsql;

namespace Ledgerlight.Currencies;

/// <summary>A rate between two currencies and the ECB publication date it comes from.</summary>
public sealed record ExchangeRate(string Base, string Target, decimal Rate, DateOnly EffectiveDate, DateOnly RequestedDate);

/// <summary>
/// Reads reference rates stored as "units per 1 EUR" (the ECB's form). A cross rate base→target is
/// target/base from the latest publication on or before the requested date (weekends and holidays
/// fall back to the previous business day, as Light documents).
/// </summary>
public sealed class ExchangeRateStore(NpgsqlDataSource db)
{
    public const string Euro = "EUR";

    public async Task<ExchangeRate?> FindAsync(string baseCurrency, string target, DateOnly date)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await FindAsync(conn, null, baseCurrency, target, date);
    }

    public static async Task<ExchangeRate?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string baseCurrency, string target, DateOnly date)
    {
        if (baseCurrency == target) return new ExchangeRate(baseCurrency, target, 1m, date, date);
        await using var cmd = new NpgsqlCommand("""
            SELECT d.rate_date,
                   CASE WHEN $1 = 'EUR' THEN 1 ELSE (SELECT per_eur FROM exchange_rates WHERE currency = $1 AND rate_date = d.rate_date) END,
                   CASE WHEN $2 = 'EUR' THEN 1 ELSE (SELECT per_eur FROM exchange_rates WHERE currency = $2 AND rate_date = d.rate_date) END
              FROM (SELECT rate_date FROM exchange_rates
                     WHERE currency = ANY($4) AND rate_date <= $3
                     GROUP BY rate_date HAVING count(*) = cardinality($4)
                     ORDER BY rate_date DESC LIMIT 1) d
            """, conn, tx);
        var needed = new[] { baseCurrency, target }.Where(c => c != Euro).ToArray();
        cmd.Parameters.Add(new NpgsqlParameter { Value = baseCurrency });
        cmd.Parameters.Add(new NpgsqlParameter { Value = target });
        cmd.Parameters.Add(new NpgsqlParameter { Value = date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = needed });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var effective = reader.GetFieldValue<DateOnly>(0);
        var basePerEur = reader.GetDecimal(1);
        var targetPerEur = reader.GetDecimal(2);
        return new ExchangeRate(baseCurrency, target, decimal.Round(targetPerEur / basePerEur, 10), effective, date);
    }
}
