namespace Ledgerlight.Organization.Companies;

public sealed class CompanyStore(NpgsqlDataSource db, TimeProvider clock)
{
    const string Columns = "id, name, base_currency, invoice_email, receipt_email, contract_email, logo_url, created_at, updated_at";

    public async Task<CompanyRow?> GetAsync(Guid companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<CompanyRow>($"SELECT {Columns} FROM companies WHERE id = @companyId", new { companyId });
    }

    /// <summary>Finds a company by id or exact name; a name shared by several companies is ambiguous.</summary>
    public async Task<CompanyRow?> FindAsync(string idOrName)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (Guid.TryParse(idOrName, out var id))
            return await conn.QuerySingleOrDefaultAsync<CompanyRow>($"SELECT {Columns} FROM companies WHERE id = @id", new { id });
        var matches = (await conn.QueryAsync<CompanyRow>($"SELECT {Columns} FROM companies WHERE name = @idOrName LIMIT 2", new { idOrName })).ToList();
        if (matches.Count > 1) throw new InvalidOperationException($"Several companies are named '{idOrName}'; use the id");
        return matches.SingleOrDefault();
    }

    /// <summary>
    /// Creates a company with its first legal entity and the standard chart of accounts, in one
    /// transaction: a company is never visible half set up.
    /// </summary>
    public async Task<ProvisionedCompany> ProvisionAsync(CompanySetup setup)
    {
        if (string.IsNullOrWhiteSpace(setup.Name)) throw new ArgumentException("company name is required");
        if (!CurrencyCodes.IsKnown(setup.Currency)) throw new ArgumentException($"'{setup.Currency}' is not an ISO 4217 currency code");

        var now = clock.GetUtcNow().UtcDateTime;
        var companyId = Ids.New();
        var entityId = Ids.New();
        var slug = new string(setup.Name.Where(char.IsLetterOrDigit).Take(20).ToArray()).ToLowerInvariant();
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO companies (id, name, base_currency, invoice_email, created_at, updated_at)
            VALUES (@companyId, @name, @currency, @invoiceEmail, @now, @now)
            """, new { companyId, name = setup.Name.Trim(), currency = setup.Currency, invoiceEmail = $"invoices+{slug}@ledgerlight.local", now }, tx);
        await conn.ExecuteAsync("""
            INSERT INTO company_entities (company_id, id, code, name, display_name, local_currency, status, sort_position, created_at, updated_at)
            VALUES (@companyId, @entityId, 'MAIN', @name, @name, @currency, 'ACTIVE', 0, @now, @now)
            """, new { companyId, entityId, name = setup.Name.Trim(), currency = setup.Currency, now }, tx);
        await Spend.CardBalanceAccountStore.CreatePrimaryAsync(conn, tx, companyId, entityId, setup.Name.Trim(), setup.Currency, now);

        foreach (var account in StandardChart.Accounts)
        {
            var accountId = Ids.New();
            await conn.ExecuteAsync("""
                INSERT INTO ledger_accounts (company_id, id, code, label, type, category, status, system_role, created_at, updated_at)
                VALUES (@companyId, @accountId, @Code, @Label, @Type, @category, 'ACTIVE', @SystemRole, @now, @now);
                INSERT INTO ledger_account_entities (company_id, ledger_account_id, company_entity_id) VALUES (@companyId, @accountId, @entityId);
                """, new { companyId, accountId, account.Code, account.Label, account.Type, category = AccountTypes.CategoryOf(account.Type), account.SystemRole, entityId, now }, tx);
        }

        await Ledger.TaxCodes.TaxCodeStore.SeedAsync(conn, tx, companyId, now);

        Guid? adminId = null;
        if (setup.AdminEmail is not null)
        {
            adminId = Ids.New();
            await conn.ExecuteAsync("""
                INSERT INTO users (company_id, id, company_entity_id, email, first_name, last_name, status, roles, created_at, updated_at)
                VALUES (@companyId, @adminId, @entityId, @AdminEmail, @AdminFirstName, @AdminLastName, 'ACTIVE', ARRAY['COMPANY_ADMIN','SUPERUSER'], @now, @now)
                """, new { companyId, adminId, entityId, setup.AdminEmail, setup.AdminFirstName, setup.AdminLastName, now }, tx);
        }
        await tx.CommitAsync();
        return new ProvisionedCompany(companyId, entityId, adminId);
    }
}
