using System.Reflection;
using NpgsqlTypes;

namespace Ledgerlight.Currencies;

/// <summary>How a load went: the file's rates, how many of them were new or different, and what was skipped.</summary>
public sealed record EcbLoadResult(EcbRates File, int Changed);

/// <summary>
/// Writes ECB reference rates into exchange_rates. The rows go to a temporary table by binary COPY
/// and reach the real table in one INSERT ... ON CONFLICT, so a load is one transaction whatever
/// its size, reloading the same file changes nothing, and a corrected rate replaces the old one.
/// </summary>
public static class EcbCsvLoader
{
    public const string Source = "ECB";

    /// <summary>Name of the rates shipped inside the binary (data/exchange-rates/ecb-eurofxref.csv).</summary>
    public const string BundledResource = "ecb-eurofxref.csv";

    public static async Task<EcbLoadResult> LoadFileAsync(NpgsqlDataSource db, string path, CancellationToken ct = default)
    {
        EcbRates parsed;
        using (var reader = new StreamReader(path)) parsed = EcbCsv.Parse(reader);
        return new EcbLoadResult(parsed, await UpsertAsync(db, parsed.Rates, ct));
    }

    /// <summary>Loads the bundled rates when the table holds none; a database that has rates is left alone.</summary>
    public static async Task<EcbLoadResult?> LoadBundledIfEmptyAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using (var check = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM exchange_rates)"))
            if ((bool)(await check.ExecuteScalarAsync(ct))!) return null;
        var parsed = ParseBundled();
        return new EcbLoadResult(parsed, await UpsertAsync(db, parsed.Rates, ct));
    }

    public static EcbRates ParseBundled()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(BundledResource)
                           ?? throw new InvalidOperationException($"embedded resource {BundledResource} is missing");
        using var reader = new StreamReader(stream);
        return EcbCsv.Parse(reader);
    }

    /// <summary>Upserts the rates; returns how many rows were inserted or changed.</summary>
    public static async Task<int> UpsertAsync(NpgsqlDataSource db, IReadOnlyList<EcbRate> rates, CancellationToken ct = default)
    {
        if (rates.Count == 0) return 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand(
                         "CREATE TEMP TABLE exchange_rates_load (rate_date date, currency char(3), per_eur numeric) ON COMMIT DROP", conn, tx))
            await create.ExecuteNonQueryAsync(ct);

        await using (var copy = await conn.BeginBinaryImportAsync(
                         "COPY exchange_rates_load (rate_date, currency, per_eur) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var rate in rates)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(rate.Date, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(rate.Currency, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(rate.PerEur, NpgsqlDbType.Numeric, ct);
            }
            await copy.CompleteAsync(ct);
        }

        int changed;
        // The WHERE keeps an unchanged rate untouched, so the count is what the load really changed.
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO exchange_rates (rate_date, currency, per_eur, source)
            SELECT rate_date, currency, per_eur, $1 FROM exchange_rates_load
            ON CONFLICT (currency, rate_date) DO UPDATE SET per_eur = EXCLUDED.per_eur, source = EXCLUDED.source
             WHERE (exchange_rates.per_eur, exchange_rates.source) IS DISTINCT FROM (EXCLUDED.per_eur, EXCLUDED.source)
            """, conn, tx))
        {
            upsert.Parameters.Add(new NpgsqlParameter { Value = Source });
            changed = await upsert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return changed;
    }
}
