using Dapper;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Imports;

/// <summary>
/// `ledgerlight import ...` through the real executable against a real database: small QuickBooks and Xero exports
/// import cleanly and the trial balance is the source's; a bad file changes nothing; a rerun and a dry run add nothing.
/// </summary>
public class ImportCommandTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string Samples(string format) => Path.Combine(RepoPaths.Root, "tests", "Ledgerlight.Tests", "Imports", "samples", format);

    Task<CliRunner.Result> ImportAsync(Tenant tenant, params string[] args) =>
        CliRunner.RunAsync(["import", .. args, "--company", tenant.CompanyId.ToString(), "--database", server.ConnectionString]);

    /// <summary>Rows of every table an import writes, for this company only.</summary>
    async Task<Dictionary<string, long>> CountsAsync(Tenant tenant)
    {
        string[] tables = ["ledger_accounts", "vendors", "customers", "products", "invoice_payables", "invoice_receivables", "journal_entries",
            "ledger_lines", "bank_transactions", "import_keys"];
        await using var conn = await server.Db.OpenConnectionAsync();
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
            counts[table] = await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE company_id = @id", new { id = tenant.CompanyId });
        return counts;
    }

    /// <summary>The trial balance's non-zero balances by account code (debit positive, minor units).</summary>
    static async Task<Dictionary<int, long>> BalancesAsync(Tenant tenant)
    {
        var report = (await tenant.Admin.GetAsync("/v1/reports/trial-balance?asOf=2026-12-31")).AssertOk();
        Assert.Equal(0, report["difference"]!.GetValue<long>());
        return report["accounts"]!.AsArray().Where(a => a!["balance"]!.GetValue<long>() != 0)
            .ToDictionary(a => a!["code"]!.GetValue<int>(), a => a!["balance"]!.GetValue<long>());
    }

    static void AssertOk(CliRunner.Result result) => Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");

    [Fact]
    public async Task A_QuickBooks_export_imports_cleanly_and_its_trial_balance_is_the_sources()
    {
        var tenant = await server.CreateTenantAsync($"QBO Import {Guid.NewGuid():N}", "USD");
        var result = await ImportAsync(tenant, "company", Samples("quickbooks"), "--format", "quickbooks", "--date", "2026-11-30");
        AssertOk(result);
        Assert.Contains("accounts (accounts.csv): 8 rows read, 8 added, 0 already present", result.Stdout);
        Assert.Contains("bills (bills.csv): 2 rows read, 2 added", result.Stdout);
        // Output is redirected here, so progress comes as plain lines with rate and time left.
        Assert.Contains("records/s", result.Stdout);

        // Source trial balance: Checking 5,000 / A/R 1,500 / Furniture 2,500 / Rent 2,000 = A/P 800 / Owner's equity 7,200 / Consulting 3,000.
        // A/R and A/P are the chart's own control accounts (1400, 2000), carried by the imported open invoices and bills.
        Assert.Equal(new Dictionary<int, long>
        {
            [1010] = 500_000, [1400] = 150_000, [1510] = 250_000, [6010] = 200_000, [2000] = -80_000, [3020] = -720_000, [4010] = -300_000,
        }, await BalancesAsync(tenant));

        var bills = (await tenant.Admin.GetAsync("/v1/invoice-payables")).AssertOk()["records"]!.AsArray();
        Assert.Equal(["5521", "B-77"], bills.Select(b => b!["invoiceNumber"]!.GetValue<string>()).Order());
        Assert.All(bills, b => Assert.Equal("UNPAID", b!["state"]!.GetValue<string>())); // posted, awaiting payment
        var invoices = (await tenant.Admin.GetAsync("/v1/invoice-receivables")).AssertOk()["records"]!.AsArray();
        Assert.All(invoices, i => Assert.Equal("OPEN", i!["state"]!.GetValue<string>()));
        var products = (await tenant.Admin.GetAsync("/v1/products")).AssertOk()["records"]!.AsArray();
        Assert.Contains(products, p => p!["name"]!.GetValue<string>() == "Workshop" && p["pricings"]![0]!["amount"]!.GetValue<long>() == 120_000);

        // Rerun: everything is already present, nothing changes.
        var before = await CountsAsync(tenant);
        var again = await ImportAsync(tenant, "company", Samples("quickbooks"), "--format", "quickbooks", "--date", "2026-11-30");
        AssertOk(again);
        Assert.Contains("accounts (accounts.csv): 8 rows read, 0 added, 8 already present", again.Stdout);
        Assert.Contains("opening-balances (opening-balances.csv): 7 rows read, 0 added, 1 already present", again.Stdout);
        Assert.Equal(before, await CountsAsync(tenant));
    }

    [Fact]
    public async Task A_Xero_export_imports_file_by_file_and_its_trial_balance_is_the_sources()
    {
        var tenant = await server.CreateTenantAsync($"Xero Import {Guid.NewGuid():N}", "GBP");
        var bank = (await BankingHelpers.CreateAccountAsync(tenant, "GBP")).Id();
        foreach (var kind in new[] { "accounts", "vendors", "customers", "products", "opening-balances", "bills", "invoices" })
        {
            string[] args = [kind, Path.Combine(Samples("xero"), kind + ".csv"), "--format", "xero", .. kind == "opening-balances" ? ["--date", "2026-11-30"] : Array.Empty<string>()];
            AssertOk(await ImportAsync(tenant, args));
        }
        var statement = await ImportAsync(tenant, "bank-statement", Path.Combine(Samples("xero"), "bank-statement.csv"), "--format", "xero", "--bank-account", bank);
        AssertOk(statement);
        Assert.Contains("4 rows read, 4 added", statement.Stdout);

        Assert.Equal(new Dictionary<int, long>
        {
            [90] = 420_000, [1400] = 90_000, [710] = 180_000, [429] = 120_000, [2000] = -45_000, [970] = -500_000, [200] = -265_000,
        }, await BalancesAsync(tenant));
        var lines = (await tenant.Admin.GetAsync($"/v1/bank-accounts/{bank}/bank-transactions?limit=50")).AssertOk()["records"]!.AsArray();
        Assert.Equal(4, lines.Count);

        var before = await CountsAsync(tenant);
        AssertOk(await ImportAsync(tenant, "bank-statement", Path.Combine(Samples("xero"), "bank-statement.csv"), "--format", "xero", "--bank-account", bank));
        AssertOk(await ImportAsync(tenant, "bills", Path.Combine(Samples("xero"), "bills.csv"), "--format", "xero"));
        Assert.Equal(before, await CountsAsync(tenant));
    }

    [Fact]
    public async Task A_malformed_file_is_reported_by_row_and_column_and_changes_nothing()
    {
        var tenant = await server.CreateTenantAsync($"Bad Import {Guid.NewGuid():N}", "USD");
        var folder = Directory.CreateTempSubdirectory("ledgerlight-import-");
        foreach (var file in Directory.GetFiles(Samples("quickbooks"))) File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "vendors.csv"), """
            Vendor,Email,Country
            Landlord LLC,rent@landlord.example,US
            Paper Supply Co,not-an-email,US
            """);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "bills.csv"), """
            Date,Num,Vendor,Due Date,Open Balance
            11/01/2026,B-77,Landlord LLC,12/01/2026,600.00
            13/45/2026,5521,Paper Supply Co,12/15/2026,200.00
            11/20/2026,X-1,Nobody Inc,,12.345
            """);
        var before = await CountsAsync(tenant);
        var result = await ImportAsync(tenant, "company", folder.FullName, "--format", "quickbooks", "--date", "2026-11-30");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("vendors.csv row 3, column \"Email\": 'email' is not a valid email address", result.Stdout);
        Assert.Contains("bills.csv row 3, column \"Date\": '13/45/2026' is not a date", result.Stdout);
        Assert.Contains("bills.csv row 4, column \"Open Balance\": '12.345' has more decimals than USD allows", result.Stdout);
        Assert.Contains("3 problem(s)", result.Stderr);
        Assert.Equal(before, await CountsAsync(tenant));
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Unbalanced_opening_balances_and_unknown_accounts_change_nothing()
    {
        var tenant = await server.CreateTenantAsync($"Unbalanced {Guid.NewGuid():N}", "USD");
        var path = Path.Combine(Path.GetTempPath(), $"opening-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, "Account,Debit,Credit\n1200 Operating bank account,100.00,\nShare capital,,90.00\nNo such account,5.00,\n");
        var before = await CountsAsync(tenant);
        var result = await ImportAsync(tenant, "opening-balances", path, "--format", "quickbooks");
        File.Delete(path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("row 4, column \"Debit\": the opening balances do not balance: debits 105 USD and credits 90 USD differ by 15 USD", result.Stdout);
        Assert.Equal(before, await CountsAsync(tenant));
    }

    [Fact]
    public async Task A_dry_run_prints_the_report_and_writes_nothing()
    {
        var tenant = await server.CreateTenantAsync($"Dry Run {Guid.NewGuid():N}", "USD");
        var before = await CountsAsync(tenant);
        var result = await ImportAsync(tenant, "company", Samples("quickbooks"), "--format", "quickbooks", "--dry-run");
        AssertOk(result);
        Assert.Contains("vendors (vendors.csv): 2 rows read, 2 to add, 0 already present", result.Stdout);
        Assert.Contains("dry run: nothing was written", result.Stdout);
        Assert.DoesNotContain("records/s", result.Stdout);
        Assert.Equal(before, await CountsAsync(tenant));
    }

    [Fact]
    public async Task A_generic_file_is_read_through_its_mapping()
    {
        var tenant = await server.CreateTenantAsync($"Generic {Guid.NewGuid():N}", "USD");
        var vendors = Path.Combine(Samples("generic"), "vendors.csv");
        var mapping = Path.Combine(Samples("generic"), "vendors.mapping.json");
        AssertOk(await ImportAsync(tenant, "vendors", vendors, "--mapping", mapping));
        var records = (await tenant.Admin.GetAsync("/v1/vendors?limit=50")).AssertOk()["records"]!.AsArray();
        var mueller = records.Single(v => v!["name"]!.GetValue<string>() == "Müller GmbH")!;
        Assert.Equal(("DE", "DE811907980", "info@mueller.example"),
            (mueller["country"]!.GetValue<string>(), mueller["vatId"]!.GetValue<string>(), mueller["email"]!.GetValue<string>()));
        Assert.Contains(records, v => v!["name"]!.GetValue<string>() == "Smith, Jones & Co");
        var again = await ImportAsync(tenant, "vendors", vendors, "--mapping", mapping);
        Assert.Contains("0 added, 2 already present", again.Stdout);
    }

    [Fact]
    public async Task A_refusal_while_writing_rolls_back_everything_written_before_it()
    {
        var tenant = await server.CreateTenantAsync($"Closed Books {Guid.NewGuid():N}", "USD");
        (await tenant.Admin.PutAsync($"/v1/ledger/period-locks/{tenant.EntityId}", new { lockedThrough = "2026-12-31" })).AssertOk();
        var before = await CountsAsync(tenant);
        var result = await ImportAsync(tenant, "company", Samples("quickbooks"), "--format", "quickbooks", "--date", "2026-11-30");
        Assert.Equal(2, result.ExitCode);
        // Accounts, vendors, customers and products were written before the opening entry was refused: none of them stays.
        Assert.Contains("opening-balances.csv row 5: refused while writing", result.Stdout);
        Assert.Equal(before, await CountsAsync(tenant));
    }

    [Fact]
    public async Task A_statement_for_another_companys_bank_account_is_refused()
    {
        var tenant = await server.CreateTenantAsync($"Statement {Guid.NewGuid():N}", "GBP");
        var other = await server.CreateTenantAsync($"Other {Guid.NewGuid():N}", "GBP");
        var foreign = (await BankingHelpers.CreateAccountAsync(other, "GBP")).Id();
        var before = await CountsAsync(tenant);
        var result = await ImportAsync(tenant, "bank-statement", Path.Combine(Samples("xero"), "bank-statement.csv"), "--format", "xero", "--bank-account", foreign);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"bank account {foreign} not found in the company", result.Stderr);
        Assert.Equal(before, await CountsAsync(tenant));
        Assert.Empty((await other.Admin.GetAsync($"/v1/bank-accounts/{foreign}/bank-transactions")).AssertOk()["records"]!.AsArray());
    }

    [Fact]
    public async Task Two_runs_of_the_same_export_at_once_create_each_record_once()
    {
        var tenant = await server.CreateTenantAsync($"Concurrent {Guid.NewGuid():N}", "USD");
        var file = Path.Combine(Samples("quickbooks"), "vendors.csv");
        var runs = await Task.WhenAll(ImportAsync(tenant, "vendors", file, "--format", "quickbooks"), ImportAsync(tenant, "vendors", file, "--format", "quickbooks"));
        Assert.All(runs, AssertOk);
        Assert.Single(runs, r => r.Stdout.Contains("2 added"));
        Assert.Single(runs, r => r.Stdout.Contains("0 added, 2 already present"));
        Assert.Equal(2, (await CountsAsync(tenant))["vendors"]);
    }

    [Fact]
    public async Task A_generic_folder_is_read_with_each_files_mapping()
    {
        var tenant = await server.CreateTenantAsync($"Generic Folder {Guid.NewGuid():N}", "USD");
        var bank = (await BankingHelpers.CreateAccountAsync(tenant)).Id();
        var result = await ImportAsync(tenant, "company", Samples("generic"), "--bank-account", bank);
        AssertOk(result);
        Assert.Contains("vendors (vendors.csv): 2 rows read, 2 added", result.Stdout);
        Assert.Contains("bank-statement (bank-statement.csv): 2 rows read, 2 added", result.Stdout);
        var lines = (await tenant.Admin.GetAsync($"/v1/bank-accounts/{bank}/bank-transactions")).AssertOk()["records"]!.AsArray();
        Assert.Equal([("D", 12_000L), ("C", 250_000L)], lines.Select(l => (l!["dcSign"]!.GetValue<string>(), l["amount"]!.GetValue<long>())).OrderByDescending(x => x.Item1));
    }
}
