namespace Ledgerlight.Ledger.TaxCodes;

public sealed class TaxCodeStore(NpgsqlDataSource db, TimeProvider clock)
{
    public static async Task<TaxCodeRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        await conn.QuerySingleOrDefaultAsync<TaxCodeRow>(
            $"SELECT {TaxCodeRow.Columns} FROM tax_codes WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);

    public async Task<IReadOnlyList<TaxCodeRow>> ListAsync(Guid companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<TaxCodeRow>(
            $"SELECT {TaxCodeRow.Columns} FROM tax_codes WHERE company_id = @companyId ORDER BY code", new { companyId })).ToList();
    }

    /// <summary>Seeds the standard set for a new company, inside its provisioning transaction.</summary>
    public static async Task SeedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, DateTime now)
    {
        foreach (var (code, label, rate) in StandardTaxCodes.All)
            await conn.ExecuteAsync("""
                INSERT INTO tax_codes (company_id, id, code, label, rate_percent, input_account_id, output_account_id, created_at, updated_at)
                VALUES (@companyId, @id, @code, @label, @rate,
                        (SELECT id FROM ledger_accounts WHERE company_id = @companyId AND system_role = 'INPUT_TAX'),
                        (SELECT id FROM ledger_accounts WHERE company_id = @companyId AND system_role = 'OUTPUT_TAX'), @now, @now)
                """, new { companyId, id = Ids.New(), code, label, rate, now }, tx);
    }

    public async Task<TaxCodeRow> CreateAsync(Guid companyId, string code, string label, decimal rate, Guid? inputAccountId, Guid? outputAccountId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var v = new Validation();
        foreach (var (accountId, field) in new[] { (inputAccountId, "inputAccountId"), (outputAccountId, "outputAccountId") })
            if (accountId is { } a && await conn.ExecuteScalarAsync<int>(
                    "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @a", new { companyId, a }) == 0)
                v.Add($"Ledger account {a} does not exist", field);
        v.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        try
        {
            await conn.ExecuteAsync("""
                INSERT INTO tax_codes (company_id, id, code, label, rate_percent, input_account_id, output_account_id, created_at, updated_at)
                VALUES (@companyId, @id, @code, @label, @rate,
                        COALESCE(@inputAccountId, (SELECT id FROM ledger_accounts WHERE company_id = @companyId AND system_role = 'INPUT_TAX')),
                        COALESCE(@outputAccountId, (SELECT id FROM ledger_accounts WHERE company_id = @companyId AND system_role = 'OUTPUT_TAX')),
                        @now, @now)
                """, new { companyId, id, code, label, rate, inputAccountId, outputAccountId, now });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ApiException.Conflict($"Tax code '{code}' already exists");
        }
        return (await FindAsync(conn, null, companyId, id))!;
    }
}
