using Ledgerlight.Storage;

namespace Ledgerlight.Banking;

public sealed class BankAccountStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>The (company_id, code) unique constraint of ledger_accounts (0002_ledger_accounts.sql).</summary>
    const string LedgerCodeConstraint = "ledger_accounts_company_id_code_key";

    public async Task<IReadOnlyList<BankAccountRow>> ListAsync(Guid companyId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<BankAccountRow>(new CommandDefinition(
            $"SELECT {BankAccountRow.Columns} FROM {BankAccountRow.From} WHERE b.company_id = @companyId ORDER BY b.created_at, b.id",
            new { companyId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<BankAccountRow?> GetAsync(Guid companyId, Guid bankAccountId, CancellationToken ct = default,
        NpgsqlConnection? conn = null, NpgsqlTransaction? tx = null)
    {
        var own = conn is null;
        conn ??= await db.OpenConnectionAsync(ct);
        try
        {
            return await conn.QuerySingleOrDefaultAsync<BankAccountRow>(new CommandDefinition(
                $"SELECT {BankAccountRow.Columns} FROM {BankAccountRow.From} WHERE b.company_id = @companyId AND b.id = @bankAccountId",
                new { companyId, bankAccountId }, tx, cancellationToken: ct));
        }
        finally
        {
            if (own) await conn.DisposeAsync();
        }
    }

    /// <summary>
    /// The bank account and its ledger account (type BANK, linked to the bank account's entity) in
    /// one transaction: either both exist afterwards or neither does.
    /// </summary>
    public async Task<BankAccountRow> CreateAsync(Guid companyId, Guid? createdBy, CreateBankAccountRequest r, CancellationToken ct)
    {
        var entityId = r.CompanyEntityId!.Value;
        var code = (int)r.LedgerAccount!.Code!.Value;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var entityCurrency = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT local_currency FROM company_entities WHERE company_id = @companyId AND id = @entityId",
            new { companyId, entityId }, tx, cancellationToken: ct));
        if (entityCurrency is null)
            throw ApiException.BadRequest($"Company entity {entityId} does not exist", "companyEntityId");

        // The friendly answer for the common case; the unique constraint below catches the race.
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM ledger_accounts WHERE company_id = @companyId AND code = @code)",
                new { companyId, code }, tx, cancellationToken: ct)))
            throw CodeTaken(code);

        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        var ledgerAccountId = Ids.New();
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO ledger_accounts (company_id, id, code, label, type, category, status, source_type, system_role,
                                             revaluate_fx_balance, bank_account_id, created_at, updated_at)
                VALUES (@companyId, @ledgerAccountId, @code, @label, 'BANK', 'ASSET', 'ACTIVE', 'LIGHT', NULL,
                        @revaluate, @id, @now, @now);
                INSERT INTO ledger_account_entities (company_id, ledger_account_id, company_entity_id)
                VALUES (@companyId, @ledgerAccountId, @entityId);
                INSERT INTO bank_accounts (company_id, id, company_entity_id, ledger_account_id, name, type, bank_provider,
                                           payment_scheduling_eligibility, currency, bank_country, bank_name, iban, bic,
                                           domestic_bank_account_number, domestic_bank_code, bank_city, bank_address, bank_zipcode,
                                           bank_state, default_charge_bearer_code, created_by, created_at, updated_at)
                VALUES (@companyId, @id, @entityId, @ledgerAccountId, @name, 'PHYSICAL', @BankProvider,
                        'INELIGIBLE', @Currency, @BankCountry, @bankName, @iban, @bic,
                        @domesticNumber, @domesticCode, @BankCity, @BankAddress, @BankZipcode,
                        @BankState, @DefaultChargeBearerCode, @createdBy, @now, @now);
                """, new
            {
                companyId, id, ledgerAccountId, code, entityId, now, createdBy,
                label = r.EffectiveLedgerLabel,
                // A foreign-currency bank account is revalued at closing rates; one in the entity's currency never is.
                revaluate = !string.Equals(entityCurrency.Trim(), r.Currency, StringComparison.Ordinal),
                name = r.Name!.Trim(), r.BankProvider, r.Currency, r.BankCountry, bankName = r.EffectiveBankName,
                iban = r.NormalizedIban, bic = r.NormalizedBic, domesticNumber = r.NormalizedDomesticNumber,
                domesticCode = r.NormalizedDomesticCode, r.BankCity, r.BankAddress, r.BankZipcode, r.BankState,
                r.DefaultChargeBearerCode,
            }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == Database.UniqueViolation && e.ConstraintName == LedgerCodeConstraint)
        {
            throw CodeTaken(code);
        }
        var row = await GetAsync(companyId, id, ct, conn, tx);
        await tx.CommitWriteAsync(ct);
        return row!;
    }

    static ApiException CodeTaken(int code) =>
        new(409, "CONFLICT", $"Ledger account code {code} is already used in the company's chart of accounts",
            [new FieldError("CONFLICT", $"Ledger account code {code} is already used", ["ledgerAccount", "code"])]);

    public async Task<BankAccountBalanceModel> UpsertOpeningBalanceAsync(Guid companyId, Guid bankAccountId, long balance,
        DateTime balanceAt, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return await conn.QuerySingleAsync<BankAccountBalanceModel>(new CommandDefinition("""
            INSERT INTO bank_account_balances (company_id, bank_account_id, id, balance, balance_at, created_at, updated_at)
            VALUES (@companyId, @bankAccountId, @id, @balance, @balanceAt, @now, @now)
            ON CONFLICT (company_id, bank_account_id)
            DO UPDATE SET balance = EXCLUDED.balance, balance_at = EXCLUDED.balance_at, updated_at = EXCLUDED.updated_at
            RETURNING id, bank_account_id, balance_at, balance
            """, new { companyId, bankAccountId, id = Ids.New(), balance, balanceAt, now }, cancellationToken: ct));
    }

    /// <summary>
    /// Bank balance (opening balance + C − D of lines dated on or before asOf; null without an
    /// opening balance) and ledger balance (debit-positive amounts of the bank's ledger account
    /// posted on or before asOf, in the bank account's currency), both from daily totals rather than lines.
    /// </summary>
    public async Task<(long? Opening, long Movements, long Ledger)> BalancesAsync(BankAccountRow account, DateOnly asOf, CancellationToken ct)
    {
        // Dapper cannot bind DateOnly, so this one is plain Npgsql. The entity join lets each
        // (company, entity, ledger, account) prefix of the daily-balance key be an index seek,
        // instead of reading every daily balance of the company.
        await using var cmd = db.CreateCommand("""
            SELECT (SELECT balance FROM bank_account_balances
                     WHERE company_id = @companyId AND bank_account_id = @bankAccountId),
                   COALESCE((SELECT sum(credit_total - debit_total) FROM bank_account_daily_totals
                              WHERE company_id = @companyId AND bank_account_id = @bankAccountId AND day <= @asOf), 0)::bigint,
                   COALESCE((SELECT sum(CASE WHEN e.local_currency = @currency THEN d.debit_local - d.credit_local
                                             WHEN d.transaction_currency = @currency THEN d.debit_transaction - d.credit_transaction
                                             ELSE 0 END)
                               FROM company_entities e
                               JOIN account_daily_balances d
                                 ON d.company_id = e.company_id AND d.company_entity_id = e.id
                                AND d.ledger_name = 'PRIMARY' AND d.account_id = @ledgerAccountId AND d.day <= @asOf
                              WHERE e.company_id = @companyId), 0)::bigint
            """);
        cmd.Parameters.AddWithValue("companyId", account.CompanyId);
        cmd.Parameters.AddWithValue("bankAccountId", account.Id);
        cmd.Parameters.AddWithValue("ledgerAccountId", account.LedgerAccountId);
        cmd.Parameters.AddWithValue("asOf", asOf);
        // In the account's own currency: entity-currency amounts when they match, else the transaction-currency sums.
        cmd.Parameters.AddWithValue("currency", NpgsqlTypes.NpgsqlDbType.Char, account.Currency.Trim());
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw Limits.Overflow("The bank account's balance");
        }
    }
}

