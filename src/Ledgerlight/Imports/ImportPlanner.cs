namespace Ledgerlight.Imports;

/// <summary>A file's records split into those to create and those an earlier import (or the company) already has.</summary>
public sealed record FilePlan(ParsedFile File, IReadOnlyList<ImportRecord> New, int AlreadyPresent);

/// <summary>
/// The checks that need the company's data, nothing written: which records are new (keyed by the source's code,
/// number or name; a rerun finds them all present) and whether every reference resolves (a bill's vendor, an opening
/// balance's account, a product's income account), to the company's records or to ones planned earlier in the run.
/// Files are planned in dependency order (accounts before products and balances, parties before documents).
/// </summary>
public static class ImportPlanner
{
    public static async Task<FilePlan> PlanAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportContext cx, ParsedFile file,
        Guid? bankAccountId, List<ImportProblem> problems)
    {
        var kind = ImportFormats.NameOf(file.Kind);
        var fresh = new List<ImportRecord>();
        void Problem(ImportRecord r, string? column, string message) => problems.Add(new ImportProblem(file.Source, r.Line, column, message));
        HashSet<string> knownBankKeys = file.Kind == ImportKind.BankStatement
            ? await BankKeysAsync(conn, tx, cx, bankAccountId, file.Records.Select(r => r.Key).ToArray())
            : [];
        foreach (var record in file.Records)
        {
            var isNew = record switch
            {
                AccountRecord a => PlanAccount(cx, a),
                VendorRecord v => PlanParty(cx.Vendors, cx.HasKey(kind, v.Key), v.Key),
                CustomerRecord c => PlanParty(cx.Customers, cx.HasKey(kind, c.Key), c.Key),
                ProductRecord p => PlanProduct(cx, p, Problem),
                OpeningBalancesRecord o => PlanOpening(cx, o, problems, file.Source),
                OpenItemRecord i when file.Kind == ImportKind.Bills => PlanBill(cx, i, Problem),
                OpenItemRecord i => PlanInvoice(cx, i, Problem),
                BankLineRecord b => !knownBankKeys.Contains(b.Key),
                _ => throw new ArgumentOutOfRangeException(nameof(file)),
            };
            if (isNew) fresh.Add(record);
        }
        return new FilePlan(file, fresh, file.Records.Count - fresh.Count);
    }

    static bool PlanAccount(ImportContext cx, AccountRecord a)
    {
        if (cx.HasKey("accounts", a.Key) || cx.AccountsByCode.ContainsKey(a.Code)) return false;
        cx.AddAccount(a.Code, a.Name, cx.ControlAccountFor(a.Type) ?? Guid.Empty);
        return true;
    }

    static bool PlanParty(Dictionary<string, Guid> existing, bool imported, string key)
    {
        if (imported || existing.ContainsKey(key)) return false;
        existing[key] = Guid.Empty;
        return true;
    }

    static bool PlanProduct(ImportContext cx, ProductRecord p, Action<ImportRecord, string?, string> problem)
    {
        if (p.IncomeAccount is { } account && cx.ResolveAccount(account) is null) problem(p, p.IncomeAccountColumn, cx.AccountProblem(account));
        var nameKey = ImportValues.NameKey(p.Name);
        if (cx.HasKey("products", p.Key) || cx.Products.ContainsKey(nameKey)) return false;
        cx.Products[nameKey] = Guid.Empty;
        return true;
    }

    static bool PlanOpening(ImportContext cx, OpeningBalancesRecord o, List<ImportProblem> problems, string source)
    {
        foreach (var line in o.Lines.Where(l => cx.ResolveAccount(l.Account) is null))
            problems.Add(new ImportProblem(source, line.Line, line.AccountColumn, cx.AccountProblem(line.Account)));
        return !cx.HasKey("opening-balances", o.Key);
    }

    static bool PlanBill(ImportContext cx, OpenItemRecord i, Action<ImportRecord, string?, string> problem)
    {
        if (!cx.Vendors.TryGetValue(ImportValues.NameKey(i.Party), out var vendorId))
        {
            problem(i, i.PartyColumn, $"no vendor named '{i.Party}' (import the vendors first)");
            return false;
        }
        if (cx.HasKey("bills", BillKey(i)) || (vendorId != Guid.Empty && cx.BillNumbers.Contains((vendorId, i.Key)))) return false;
        return true;
    }

    static bool PlanInvoice(ImportContext cx, OpenItemRecord i, Action<ImportRecord, string?, string> problem)
    {
        if (!cx.Customers.ContainsKey(ImportValues.NameKey(i.Party)))
        {
            problem(i, i.PartyColumn, $"no customer named '{i.Party}' (import the customers first)");
            return false;
        }
        return !cx.HasKey("invoices", i.Key) && !cx.InvoiceNumbers.Contains(i.Key);
    }

    /// <summary>Bill numbers are the vendor's, so two vendors may share one: the key names both.</summary>
    public static string BillKey(OpenItemRecord i) => ImportValues.NameKey(i.Party) + "|" + i.Key;

    /// <summary>The statement's line keys the bank account already has (bank transactions are unique by transactionId per account).</summary>
    static async Task<HashSet<string>> BankKeysAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportContext cx, Guid? bankAccountId, string[] keys)
    {
        if (bankAccountId is not { } bank) throw new ArgumentException("a bank statement needs --bank-account (the id of an existing bank account)");
        var currency = await conn.ExecuteScalarAsync<string?>(
            "SELECT trim(currency) FROM bank_accounts WHERE company_id = @companyId AND id = @bank", new { companyId = cx.CompanyId, bank }, tx)
            ?? throw new ArgumentException($"bank account {bank} not found in the company");
        if (currency != cx.Currency) throw new ArgumentException($"bank account {bank} is in {currency}; statements are imported in the company's currency ({cx.Currency})");
        return (await conn.QueryAsync<string>("""
            SELECT transaction_id FROM bank_transactions WHERE company_id = @companyId AND bank_account_id = @bank AND transaction_id = ANY(@keys)
            """, new { companyId = cx.CompanyId, bank, keys }, tx)).ToHashSet();
    }
}
