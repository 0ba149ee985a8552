namespace Ledgerlight.Imports;

/// <summary>
/// What an import needs to know of the company, loaded once inside the import's transaction: its entity and
/// currency, the chart, vendors, customers and products by name, open documents' numbers, and the keys of earlier
/// imports. Records the import is about to create are added as they are planned (so a bill may name a vendor from
/// the same run) and get their ids as they are written.
/// </summary>
public sealed class ImportContext
{
    public required Guid CompanyId { get; init; }
    public required Guid EntityId { get; init; }
    public required string Currency { get; init; }

    /// <summary>Account code → id (Guid.Empty while an account is only planned).</summary>
    public Dictionary<int, Guid> AccountsByCode { get; } = [];
    /// <summary>Account label (name key) → code; null when two accounts share a label (ambiguous, so not resolvable by name).</summary>
    public Dictionary<string, int?> AccountsByLabel { get; } = [];
    public Dictionary<string, Guid> SystemAccounts { get; } = [];
    public Dictionary<string, Guid> Vendors { get; } = [];
    public Dictionary<string, Guid> Customers { get; } = [];
    public Dictionary<string, Guid> Products { get; } = [];
    public HashSet<string> InvoiceNumbers { get; } = [];
    /// <summary>(vendor id, number key) of every bill that is not cancelled.</summary>
    public HashSet<(Guid Vendor, string Number)> BillNumbers { get; } = [];
    /// <summary>(kind, key) → the id it created.</summary>
    public Dictionary<(string Kind, string Key), Guid> Keys { get; } = [];

    public static async Task<ImportContext> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId)
    {
        var entity = await conn.QueryFirstOrDefaultAsync<(Guid Id, string Currency)>(
            "SELECT id, trim(local_currency) FROM company_entities WHERE company_id = @companyId ORDER BY sort_position, id LIMIT 1",
            new { companyId }, tx);
        if (entity.Id == Guid.Empty) throw new ArgumentException("the company has no legal entity");
        var cx = new ImportContext { CompanyId = companyId, EntityId = entity.Id, Currency = entity.Currency };
        foreach (var (id, code, label, role) in await conn.QueryAsync<(Guid, int, string, string?)>(
                     "SELECT id, code, label, system_role FROM ledger_accounts WHERE company_id = @companyId", new { companyId }, tx))
        {
            cx.AddAccount(code, label, id);
            if (role is not null) cx.SystemAccounts[role] = id;
        }
        await FillAsync(conn, tx, "SELECT name, id FROM vendors WHERE company_id = @companyId ORDER BY created_at", companyId, cx.Vendors);
        await FillAsync(conn, tx, "SELECT name, id FROM customers WHERE company_id = @companyId ORDER BY created_at", companyId, cx.Customers);
        await FillAsync(conn, tx, "SELECT name, id FROM products WHERE company_id = @companyId ORDER BY created_at", companyId, cx.Products);
        foreach (var number in await conn.QueryAsync<string>(
                     "SELECT invoice_number FROM invoice_receivables WHERE company_id = @companyId AND invoice_number IS NOT NULL", new { companyId }, tx))
            cx.InvoiceNumbers.Add(ImportValues.NameKey(number));
        foreach (var (vendor, number) in await conn.QueryAsync<(Guid, string)>("""
                     SELECT vendor_id, invoice_number FROM invoice_payables
                      WHERE company_id = @companyId AND vendor_id IS NOT NULL AND invoice_number IS NOT NULL AND state <> 'CANCELLED'
                     """, new { companyId }, tx))
            cx.BillNumbers.Add((vendor, ImportValues.NameKey(number)));
        foreach (var (kind, key, id) in await conn.QueryAsync<(string, string, Guid)>(
                     "SELECT kind, source_key, target_id FROM import_keys WHERE company_id = @companyId", new { companyId }, tx))
            cx.Keys[(kind, key)] = id;
        cx.AddAliases();
        return cx;
    }

    /// <summary>
    /// A source's receivables and payables accounts are the chart's own control accounts (the ones invoices and bills
    /// post to), so the source's code and name are kept as aliases of them, in import_keys, instead of a second AR or AP.
    /// </summary>
    public Guid? ControlAccountFor(string type) => type switch
    {
        "ACCOUNTS_RECEIVABLE" => SystemAccounts.TryGetValue("AR", out var ar) ? ar : null,
        "ACCOUNTS_PAYABLE" => SystemAccounts.TryGetValue("AP", out var ap) ? ap : null,
        _ => null,
    };

    void AddAliases()
    {
        var codeOf = AccountsByCode.Where(a => a.Value != Guid.Empty).GroupBy(a => a.Value).ToDictionary(g => g.Key, g => g.First().Key);
        foreach (var ((kind, key), id) in Keys)
        {
            if (kind == "accounts" && int.TryParse(key, out var code) && !AccountsByCode.ContainsKey(code)) AccountsByCode[code] = id;
            if (kind == "account-labels" && codeOf.TryGetValue(id, out var target)) AccountsByLabel[key] = target;
        }
    }

    static async Task FillAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, Guid companyId, Dictionary<string, Guid> into)
    {
        // The oldest record of a name wins, so a name shared by two records always resolves the same way.
        foreach (var (name, id) in await conn.QueryAsync<(string, Guid)>(sql, new { companyId }, tx))
            into.TryAdd(ImportValues.NameKey(name), id);
    }

    public void AddAccount(int code, string label, Guid id)
    {
        AccountsByCode[code] = id;
        var key = ImportValues.NameKey(label);
        AccountsByLabel[key] = AccountsByLabel.TryGetValue(key, out var other) && other != code ? null : code;
    }

    /// <summary>The code of the account a source names: by code when it carries one the chart knows, else by a unique label.</summary>
    public int? ResolveAccount(string raw)
    {
        var (code, name) = ImportValues.AccountReference(raw);
        if (code is { } c && AccountsByCode.ContainsKey(c)) return c;
        if (AccountsByLabel.TryGetValue(ImportValues.NameKey(raw), out var whole) && whole is not null) return whole;
        return name.Length > 0 && AccountsByLabel.TryGetValue(ImportValues.NameKey(name), out var byName) ? byName : null;
    }

    /// <summary>Why an account reference does not resolve, for the problem report.</summary>
    public string AccountProblem(string raw)
    {
        var (code, name) = ImportValues.AccountReference(raw);
        var key = ImportValues.NameKey(name.Length > 0 ? name : raw);
        if (AccountsByLabel.TryGetValue(key, out var code2) && code2 is null) return $"'{raw}' names more than one account of the chart; use its code";
        return code is { } c ? $"no account with code {c} or name '{name}' in the chart (import the chart of accounts first)"
            : $"no account named '{raw}' in the chart (import the chart of accounts first)";
    }

    public bool HasKey(string kind, string key) => Keys.ContainsKey((kind, key));

    public static Task RecordKeyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportContext cx, string kind, string key, Guid id, DateTime now)
    {
        cx.Keys[(kind, key)] = id;
        return conn.ExecuteAsync("""
            INSERT INTO import_keys (company_id, kind, source_key, target_id, created_at) VALUES (@companyId, @kind, @key, @id, @now)
            """, new { companyId = cx.CompanyId, kind, key, id, now }, tx);
    }
}
