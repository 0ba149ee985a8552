using CsvHelper;

namespace Ledgerlight.Spend;

/// <summary>How many statement rows were read, added as card transactions, and skipped as already imported.</summary>
public sealed record CardStatementResult(int Read, int Added, int Skipped);

/// <summary>
/// Loads a card statement CSV from an issuer as card transactions. Columns (header row, any order):
/// provider_transaction_id, card_last_four (or card_id), type (PAYMENT|REFUND),
/// status (AUTHORIZED|CAPTURED|DECLINED|VOIDED|REFUNDED), amount (decimal major units of currency), currency,
/// original_amount, original_currency (optional: what the merchant charged), merchant, performed_at (ISO 8601).
/// Rows are deduplicated by the provider's id, so importing the same file twice adds nothing. All or nothing:
/// one bad row (reported with its line) and nothing from the file is written.
/// </summary>
public static class CardStatementImport
{
    /// <summary>A bound on one file (a limit on everything): a monthly statement is far smaller.</summary>
    public const int MaxRows = 100_000;

    public static readonly string[] Columns =
        ["provider_transaction_id", "card_last_four", "type", "status", "amount", "currency", "original_amount", "original_currency", "merchant", "performed_at"];

    /// <summary>Reads the file's rows; a missing required column or too many rows is an ArgumentException.</summary>
    public static List<StatementRow> Read(string path)
    {
        // CsvHelper (RFC 4180: quoted fields, embedded commas and line breaks) tracks the line each record starts on for errors.
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions { Separator = ',', TrackLineNumbers = true });
        csv.ReadHeader();
        int Column(string name, string? alternative = null) =>
            csv.TryGetFieldIndex(name, out var i) ? i
            : alternative is not null && csv.TryGetFieldIndex(alternative, out var j) ? j
            : throw new ArgumentException($"{path}: column '{name}' is missing (columns: {string.Join(", ", Columns)})");
        int Optional(string name) => csv.TryGetFieldIndex(name, out var i) ? i : -1;
        var (id, card, type, status, amount, currency, performed) = (Column("provider_transaction_id"), Column("card_last_four", "card_id"),
            Column("type"), Column("status"), Column("amount"), Column("currency"), Column("performed_at"));
        var (originalAmount, originalCurrency, merchant) = (Optional("original_amount"), Optional("original_currency"), Optional("merchant"));
        string Get(int i) => i < 0 || i >= csv.FieldCount ? "" : csv.GetString(i).Trim();
        var rows = new List<StatementRow>();
        while (csv.Read())
        {
            if (rows.Count == MaxRows) throw new ArgumentException($"{path}: more than {MaxRows} rows; split the statement");
            rows.Add(new StatementRow((int)csv.LineNumber, Get(id), Get(card), Get(type), Get(status), Get(amount), Get(currency),
                Get(originalAmount), Get(originalCurrency), Get(merchant), Get(performed)));
        }
        return rows;
    }

    /// <summary>Checks every row, then (only if all are good) inserts the new ones in one transaction.</summary>
    public static async Task<CardStatementResult> ImportAsync(NpgsqlDataSource db, Guid companyId, IReadOnlyList<StatementRow> rows, DateTime now)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var cards = (await conn.QueryAsync<StatementCard>("""
            SELECT c.id, c.last_four, c.company_entity_id, c.card_balance_account_id, trim(b.currency) AS currency
              FROM cards c JOIN card_balance_accounts b ON b.company_id = c.company_id AND b.id = c.card_balance_account_id
             WHERE c.company_id = @companyId
            """, new { companyId }, tx)).ToList();
        var parsed = new List<NewCardTransaction>();
        var errors = new List<string>();
        foreach (var row in rows)
        {
            var t = CardStatementRules.Parse(row, cards, out var error);
            if (error is null) parsed.Add(t);
            else errors.Add($"line {row.Line}: {error}");
        }
        if (errors.Count > 0)
            throw new ArgumentException($"{errors.Count} bad row(s), nothing imported:\n" + string.Join('\n', errors.Take(50)));

        var known = (await conn.QueryAsync<string>("""
            SELECT provider_transaction_id FROM card_transactions WHERE company_id = @companyId AND provider_transaction_id = ANY(@ids)
            """, new { companyId, ids = parsed.Select(p => p.ProviderTransactionId!).Distinct().ToArray() }, tx)).ToHashSet();
        var added = 0;
        foreach (var t in parsed)
        {
            if (!known.Add(t.ProviderTransactionId!)) continue; // already imported, or twice in this file
            await CardTransactionStore.InsertAsync(conn, tx, companyId, t, now);
            added++;
        }
        await tx.CommitWriteAsync();
        return new CardStatementResult(rows.Count, added, rows.Count - added);
    }
}
