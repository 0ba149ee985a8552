using NpgsqlTypes;

namespace Ledgerlight.Banking;

public sealed class BankTransactionStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>
    /// One statement for the whole batch: the lines travel as eight arrays (unnest), lines whose
    /// transactionId is already stored for this bank account are skipped by the unique index
    /// (race-safe against a concurrent batch), and the daily totals of the inserted lines are
    /// added in the same statement, so the totals can never disagree with the lines.
    /// The bank account row is held FOR KEY SHARE once per batch (what a foreign key would do per line;
    /// migration 0240 explains why the constraint went), so lines never outlive or precede their account.
    /// Returns the inserted rows in request order.
    /// </summary>
    public async Task<List<BankTransactionRow>> InsertAsync(Guid companyId, Guid bankAccountId, IReadOnlyList<NewBankTransaction> plan,
        CancellationToken ct)
    {
        if (plan.Count == 0) return [];
        await using var conn = await db.OpenConnectionAsync(ct);
        return await InsertAsync(conn, null, companyId, bankAccountId, plan, ct);
    }

    /// <summary>The same insert on the caller's connection and transaction (a bank statement import is all or nothing with its other writes).</summary>
    public async Task<List<BankTransactionRow>> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid bankAccountId,
        IReadOnlyList<NewBankTransaction> plan, CancellationToken ct)
    {
        if (plan.Count == 0) return [];
        await using var cmd = new NpgsqlCommand($"""
            WITH input AS (
              SELECT * FROM unnest(@ids, @dates, @amounts, @signs, @names, @memos, @references, @transactionIds)
                            WITH ORDINALITY AS u(id, date, amount, dc_sign, name, memo, reference, transaction_id, n)
            ), account AS (
              SELECT 1 FROM bank_accounts WHERE company_id = @companyId AND id = @bankAccountId FOR KEY SHARE
            ), ins AS (
              INSERT INTO bank_transactions (company_id, id, bank_account_id, date, amount, dc_sign, reconciliation_status,
                                             name, memo, reference, transaction_id, created_at)
              SELECT @companyId, id, @bankAccountId, date, amount, dc_sign, 'UNMATCHED', name, memo, reference, transaction_id, @now
                FROM input WHERE EXISTS (SELECT 1 FROM account) ORDER BY n
              ON CONFLICT (company_id, bank_account_id, transaction_id) DO NOTHING
              RETURNING *
            ), daily AS (
              INSERT INTO bank_account_daily_totals (company_id, bank_account_id, day, credit_total, debit_total, transaction_count)
              SELECT @companyId, @bankAccountId, date,
                     COALESCE(sum(amount) FILTER (WHERE dc_sign = 'C'), 0),
                     COALESCE(sum(amount) FILTER (WHERE dc_sign = 'D'), 0),
                     count(*)
                FROM ins GROUP BY date ORDER BY date
              ON CONFLICT (company_id, bank_account_id, day) DO UPDATE
                SET credit_total = bank_account_daily_totals.credit_total + EXCLUDED.credit_total,
                    debit_total = bank_account_daily_totals.debit_total + EXCLUDED.debit_total,
                    transaction_count = bank_account_daily_totals.transaction_count + EXCLUDED.transaction_count
            )
            SELECT {BankTransactionRow.Columns} FROM ins t
            """, conn, tx);
        var p = cmd.Parameters;
        p.AddWithValue("companyId", companyId);
        p.AddWithValue("bankAccountId", bankAccountId);
        p.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
        p.AddWithValue("ids", plan.Select(t => t.Id).ToArray());
        p.AddWithValue("dates", plan.Select(t => t.Date).ToArray());
        p.AddWithValue("amounts", plan.Select(t => t.Amount).ToArray());
        p.Add(TextArray("signs", plan.Select(t => t.DcSign)));
        p.Add(TextArray("names", plan.Select(t => t.Name)));
        p.Add(TextArray("memos", plan.Select(t => t.Memo)));
        p.Add(TextArray("references", plan.Select(t => t.Reference)));
        p.Add(TextArray("transactionIds", plan.Select(t => t.TransactionId)));

        var rows = new List<BankTransactionRow>(plan.Count);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var parse = reader.GetRowParser<BankTransactionRow>();
            while (await reader.ReadAsync(ct)) rows.Add(parse(reader));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw ApiException.Unprocessable("These transactions would take a daily total of the bank account beyond int64", "transactions");
        }
        var position = plan.ToDictionary(t => t.Id, t => t.Index);
        rows.Sort((a, b) => position[a.Id].CompareTo(position[b.Id]));
        return rows;
    }

    static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    public async Task<BankTransactionRow?> GetAsync(Guid companyId, Guid bankAccountId, Guid bankTransactionId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<BankTransactionRow>(new CommandDefinition(
            $"SELECT {BankTransactionRow.Columns} FROM bank_transactions t " +
            "WHERE t.company_id = @companyId AND t.bank_account_id = @bankAccountId AND t.id = @bankTransactionId",
            new { companyId, bankAccountId, bankTransactionId }, cancellationToken: ct));
    }
}
