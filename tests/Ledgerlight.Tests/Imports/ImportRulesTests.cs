using Ledgerlight.Imports;
using Xunit;

namespace Ledgerlight.Tests.Imports;

/// <summary>The pure half of imports: values, tables, row checks and progress lines, no database.</summary>
public class ImportRulesTests
{
    static readonly ImportOptions QuickBooks = new(ImportFormat.QuickBooks, new Dictionary<ImportKind, ImportMapping>(), new DateOnly(2026, 11, 30), null, false);
    static readonly ImportOptions Xero = QuickBooks with { Format = ImportFormat.Xero };

    static ParsedFile Parse(ImportKind kind, string csv, ImportOptions? options = null, string currency = "USD") =>
        ImportRunner.Parse(new ImportSource(kind, "file.csv", csv), options ?? QuickBooks, currency);

    static string Sample(string format, string file) =>
        File.ReadAllText(Path.Combine(Infrastructure.RepoPaths.Root, "tests", "Ledgerlight.Tests", "Imports", "samples", format, file));

    [Theory]
    [InlineData("1,234.56", 123456L)]
    [InlineData("$1,234.56", 123456L)]
    [InlineData("-12.00", -1200L)]
    [InlineData("(12.00)", -1200L)]
    [InlineData("7", 700L)]
    [InlineData("0.5", 50L)]
    public void Amounts_become_minor_units(string raw, long expected)
    {
        Assert.Equal(expected, ImportValues.Money(raw, "USD", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("12.345", "more decimals")]
    [InlineData("abc", "is not an amount")]
    [InlineData("10000000000000.01", "beyond the largest amount")]
    public void Bad_amounts_say_why(string raw, string why)
    {
        Assert.Null(ImportValues.Money(raw, "USD", out var error));
        Assert.Contains(why, error);
    }

    [Fact]
    public void Yen_has_no_decimals()
    {
        Assert.Equal(1500L, ImportValues.Money("1,500", "JPY", out _));
        Assert.Null(ImportValues.Money("1.5", "JPY", out _));
    }

    [Fact]
    public void Dates_follow_the_source_format()
    {
        Assert.Equal(new DateOnly(2026, 11, 2), ImportValues.Date("11/02/2026", ImportFormats.DateFormats(ImportFormat.QuickBooks), out _));
        Assert.Equal(new DateOnly(2026, 2, 11), ImportValues.Date("11/02/2026", ImportFormats.DateFormats(ImportFormat.Xero), out _));
        Assert.Equal(new DateOnly(2026, 2, 11), ImportValues.Date("2026-02-11T00:00:00", ImportFormats.DateFormats(ImportFormat.Xero), out _));
        Assert.Null(ImportValues.Date("31/02/2026", ImportFormats.DateFormats(ImportFormat.Xero), out var error));
        Assert.Contains("not a date", error);
    }

    [Theory]
    [InlineData("Accounts receivable (A/R)", "ACCOUNTS_RECEIVABLE")]
    [InlineData("Fixed Assets", "TANGIBLE_NON_CURRENT_ASSET")]
    [InlineData("Expenses", "GENERAL_AND_ADMINISTRATIVE_EXPENSE")]
    [InlineData("Bank", "CASH_AND_EQUIVALENTS")]
    [InlineData("Current Liability", "OTHER_CURRENT_LIABILITY")]
    [InlineData("DIRECTCOSTS", "COST_OF_SALES")]
    [InlineData("Retained Earnings", "RETAINED_EARNINGS")]
    [InlineData("interest income", "INTEREST_INCOME")]
    public void Account_types_of_both_sources_map_to_Lights(string raw, string expected) =>
        Assert.Equal(expected, ImportValues.AccountType(raw, out _));

    [Fact]
    public void An_unknown_account_type_is_refused()
    {
        Assert.Null(ImportValues.AccountType("Magic", out var error));
        Assert.Equal("unknown account type 'Magic'", error);
    }

    [Theory]
    [InlineData("Sales (200)", 200, "Sales")]
    [InlineData("1210 Accounts Receivable (A/R)", 1210, "Accounts Receivable (A/R)")]
    [InlineData("1010 · Checking", 1010, "Checking")]
    [InlineData("Checking", null, "Checking")]
    [InlineData("4010", 4010, "")]
    public void Account_references_carry_code_and_name(string raw, int? code, string name) =>
        Assert.Equal((code, name), ImportValues.AccountReference(raw));

    [Fact]
    public void A_report_export_is_read_past_its_title_lines_and_total_row()
    {
        var file = Parse(ImportKind.OpeningBalances, Sample("quickbooks", "opening-balances.csv"));
        Assert.Empty(file.Problems);
        var opening = Assert.IsType<OpeningBalancesRecord>(Assert.Single(file.Records));
        Assert.Equal(7, opening.Lines.Count);
        Assert.Equal(1_100_000L, opening.Lines.Where(l => l.Amount > 0).Sum(l => l.Amount));
        Assert.Equal(("1010 Checking", 500_000L, 6), (opening.Lines[0].Account, opening.Lines[0].Amount, opening.Lines[0].Line));
    }

    [Fact]
    public void Unbalanced_opening_balances_are_a_problem_with_the_difference()
    {
        var file = Parse(ImportKind.OpeningBalances, "Account,Debit,Credit\nCash,100.00,\nEquity,,90.00\n");
        var problem = Assert.Single(file.Problems);
        Assert.Equal((3, "Debit"), (problem.Line, problem.Column));
        Assert.Contains("differ by 10 USD", problem.Message);
        Assert.Empty(file.Records);
    }

    [Fact]
    public void Every_bad_cell_is_reported_with_its_row_and_column()
    {
        var file = Parse(ImportKind.Accounts, """
            Account #,Account,Type
            1000,Cash,Bank
            abc,Things,Magic
            2000,,Equity
            1000,Cash again,Bank
            """);
        Assert.Equal(
        [
            "file.csv row 3, column \"Account #\": 'abc' is not an account number (1 to 999999999)",
            "file.csv row 3, column \"Type\": unknown account type 'Magic'",
            "file.csv row 4, column \"Account\": a value is required",
            "file.csv row 5, column \"Account #\": '1000' already appears on row 2",
        ], file.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Vendor_rows_are_checked_by_the_APIs_own_rules()
    {
        var file = Parse(ImportKind.Vendors, "Vendor,Email,Country\nGood Co,a@b.example,US\nBad Co,not-an-email,Narnia\n,x@y.example,\n");
        Assert.Equal(
        [
            "file.csv row 3, column \"Email\": 'email' is not a valid email address",
            "file.csv row 3, column \"Country\": 'country' is not a known country code",
            "file.csv row 4, column \"Vendor\": 'name' is required",
        ], file.Problems.Select(p => p.ToString()));
        Assert.Equal("Good Co", Assert.IsType<VendorRecord>(Assert.Single(file.Records)).Name);
    }

    [Fact]
    public void A_multi_line_Xero_bill_is_one_open_item()
    {
        var file = Parse(ImportKind.Bills, Sample("xero", "bills.csv"), Xero, "GBP");
        Assert.Empty(file.Problems);
        Assert.Equal([("OR-2026-11", 30_000L), ("SW-881", 15_000L)], file.Records.Cast<OpenItemRecord>().Select(r => (r.Number, r.Amount)));
        Assert.Equal(new DateOnly(2026, 11, 15), ((OpenItemRecord)file.Records[1]).Date);
    }

    [Fact]
    public void Open_items_in_another_currency_are_refused()
    {
        var file = Parse(ImportKind.Invoices, Sample("xero", "invoices.csv"), Xero, "USD");
        Assert.Equal(2, file.Problems.Count);
        Assert.All(file.Problems, p => Assert.Equal("Currency", p.Column));
    }

    [Fact]
    public void A_file_without_the_required_columns_is_one_problem()
    {
        var file = Parse(ImportKind.Accounts, "Name,Colour\nCash,blue\n");
        var problem = Assert.Single(file.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains("\"Account #\" or \"Number\"", problem.Message);
    }

    [Fact]
    public void A_generic_mapping_names_the_columns_and_date_format()
    {
        var mapping = ImportMapping.Parse(Sample("generic", "bank-statement.mapping.json"), ImportKind.BankStatement);
        var options = new ImportOptions(ImportFormat.Generic, new Dictionary<ImportKind, ImportMapping> { [ImportKind.BankStatement] = mapping },
            new DateOnly(2026, 11, 30), null, false);
        var file = Parse(ImportKind.BankStatement, Sample("generic", "bank-statement.csv"), options);
        Assert.Empty(file.Problems);
        Assert.Equal([(new DateOnly(2026, 11, 30), 12_000L, "D"), (new DateOnly(2026, 11, 30), 250_000L, "C")],
            file.Records.Cast<BankLineRecord>().Select(r => (r.Date, r.Amount, r.DcSign)));
        Assert.Throws<ArgumentException>(() => ImportMapping.Parse("{\"columns\": {\"colour\": \"x\"}}", ImportKind.Vendors));
    }

    [Fact]
    public void Identical_bank_lines_get_different_keys_that_a_rerun_reproduces()
    {
        var first = Parse(ImportKind.BankStatement, Sample("xero", "bank-statement.csv"), Xero, "GBP");
        var again = Parse(ImportKind.BankStatement, Sample("xero", "bank-statement.csv"), Xero, "GBP");
        Assert.Equal(4, first.Records.Select(r => r.Key).Distinct().Count());
        Assert.Equal(first.Records.Select(r => r.Key), again.Records.Select(r => r.Key));
    }

    [Fact]
    public void Totals_rows_are_skipped_but_names_starting_with_total_are_not()
    {
        Assert.True(ImportTable.IsTotal(new ImportRow(1, ["TOTAL", "1", "2"])));
        Assert.True(ImportTable.IsTotal(new ImportRow(1, ["", "Total for Acme", "2"])));
        Assert.False(ImportTable.IsTotal(new ImportRow(1, ["Total Wine & More", "x"])));
    }

    [Fact]
    public void Plain_progress_lines_carry_rate_and_time_left()
    {
        Assert.Equal("vendors (v.csv): 100/400 (25%), 50 records/s, about 6 s left", ImportProgress.Line("vendors (v.csv)", 100, 400, TimeSpan.FromSeconds(2)));
        Assert.Equal("bills (b.csv): 4/4 (100%), 2 records/s, done", ImportProgress.Line("bills (b.csv)", 4, 4, TimeSpan.FromSeconds(2)));
    }
}
