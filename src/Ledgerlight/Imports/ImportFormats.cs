namespace Ledgerlight.Imports;

/// <summary>What an import file holds. The command-line names are the kinds' names in kebab case.</summary>
public enum ImportKind { Accounts, Vendors, Customers, Products, OpeningBalances, Bills, Invoices, BankStatement }

/// <summary>The source system an export comes from; Generic reads the field names themselves or a mapping file.</summary>
public enum ImportFormat { QuickBooks, Xero, Generic }

/// <summary>One field an import reads; Required fields must be mapped to a column and non-empty on every row.</summary>
public sealed record ImportField(string Name, bool Required = false);

/// <summary>
/// The fields of each kind and, per source system, the column headers each field is read from (first header present
/// wins). Header matching ignores case, surrounding spaces and Xero's leading '*' (required-column marker).
/// The README's "Moving in from another system" section documents these tables.
/// </summary>
public static class ImportFormats
{
    public static readonly IReadOnlyDictionary<string, ImportKind> KindNames = new Dictionary<string, ImportKind>
    {
        ["accounts"] = ImportKind.Accounts, ["vendors"] = ImportKind.Vendors, ["customers"] = ImportKind.Customers,
        ["products"] = ImportKind.Products, ["opening-balances"] = ImportKind.OpeningBalances, ["bills"] = ImportKind.Bills,
        ["invoices"] = ImportKind.Invoices, ["bank-statement"] = ImportKind.BankStatement,
    };

    public static string NameOf(ImportKind kind) => KindNames.First(k => k.Value == kind).Key;

    public static ImportFormat ParseFormat(string raw) => raw.Trim().ToLowerInvariant() switch
    {
        "quickbooks" or "qbo" => ImportFormat.QuickBooks,
        "xero" => ImportFormat.Xero,
        "generic" => ImportFormat.Generic,
        _ => throw new ArgumentException($"unknown format '{raw}': use quickbooks, xero or generic"),
    };

    public static IReadOnlyList<ImportField> Fields(ImportKind kind) => kind switch
    {
        ImportKind.Accounts => [new("code", true), new("name", true), new("type", true), new("description")],
        ImportKind.Vendors => [new("name", true), new("email"), new("phone"), new("address"), new("city"), new("zip"), new("country"),
            new("vatId"), new("identifier")],
        ImportKind.Customers => [new("name", true), new("email"), new("address"), new("city"), new("zip"), new("country"), new("vatNumber")],
        ImportKind.Products => [new("name", true), new("code"), new("price"), new("incomeAccount"), new("description")],
        ImportKind.OpeningBalances => [new("account", true), new("debit"), new("credit"), new("amount")],
        ImportKind.Bills or ImportKind.Invoices => [new("number", true), new("party", true), new("date", true), new("dueDate"),
            new("amount", true), new("currency")],
        ImportKind.BankStatement => [new("date", true), new("amount"), new("moneyIn"), new("moneyOut"), new("description"), new("reference"),
            new("id")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Date formats tried in order (ISO always last): QuickBooks US exports are month first, Xero's day first.</summary>
    public static string[] DateFormats(ImportFormat format) => format switch
    {
        ImportFormat.QuickBooks => ["MM/dd/yyyy", "M/d/yyyy", "yyyy-MM-dd"],
        ImportFormat.Xero => ["dd/MM/yyyy", "d/M/yyyy", "d MMM yyyy", "yyyy-MM-dd"],
        _ => ["yyyy-MM-dd"],
    };

    /// <summary>Column headers per field; Generic reads the field names (or a mapping file's columns).</summary>
    public static IReadOnlyDictionary<string, string[]> Columns(ImportFormat format, ImportKind kind) => format switch
    {
        ImportFormat.QuickBooks => QuickBooks(kind),
        ImportFormat.Xero => Xero(kind),
        _ => Fields(kind).ToDictionary(f => f.Name, f => new[] { f.Name }),
    };

    static Dictionary<string, string[]> QuickBooks(ImportKind kind) => kind switch
    {
        ImportKind.Accounts => new() { ["code"] = ["Account #", "Number"], ["name"] = ["Account", "Account Name", "Name"], ["type"] = ["Type", "Account Type"],
            ["description"] = ["Description"] },
        ImportKind.Vendors => new() { ["name"] = ["Vendor", "Display Name", "Name"], ["email"] = ["Email"], ["phone"] = ["Phone"],
            ["address"] = ["Street Address", "Address"], ["city"] = ["City"], ["zip"] = ["ZIP", "Postal Code"], ["country"] = ["Country"],
            ["vatId"] = ["Tax ID"], ["identifier"] = ["Account #"] },
        ImportKind.Customers => new() { ["name"] = ["Customer", "Display Name", "Name"], ["email"] = ["Email"],
            ["address"] = ["Street Address", "Billing Street", "Address"], ["city"] = ["City", "Billing City"], ["zip"] = ["ZIP", "Billing ZIP"],
            ["country"] = ["Country", "Billing Country"], ["vatNumber"] = ["Tax ID"] },
        ImportKind.Products => new() { ["name"] = ["Product/Service Name", "Product/Service", "Name"], ["code"] = ["SKU"],
            ["price"] = ["Sales Price", "Price", "Rate"], ["incomeAccount"] = ["Income Account"], ["description"] = ["Sales Description", "Description"] },
        ImportKind.OpeningBalances => new() { ["account"] = ["Account", ""], ["debit"] = ["Debit"], ["credit"] = ["Credit"] },
        ImportKind.Bills => new() { ["number"] = ["Num", "No."], ["party"] = ["Vendor", "Name"], ["date"] = ["Date"], ["dueDate"] = ["Due Date"],
            ["amount"] = ["Open Balance"], ["currency"] = ["Currency"] },
        ImportKind.Invoices => new() { ["number"] = ["Num", "No."], ["party"] = ["Customer", "Name"], ["date"] = ["Date"], ["dueDate"] = ["Due Date"],
            ["amount"] = ["Open Balance"], ["currency"] = ["Currency"] },
        ImportKind.BankStatement => new() { ["date"] = ["Date"], ["amount"] = ["Amount"], ["moneyIn"] = ["Deposit", "Credit"],
            ["moneyOut"] = ["Payment", "Debit"], ["description"] = ["Description", "Payee"], ["reference"] = ["Ref No.", "Check No."] },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    static Dictionary<string, string[]> Xero(ImportKind kind) => kind switch
    {
        ImportKind.Accounts => new() { ["code"] = ["Code"], ["name"] = ["Name"], ["type"] = ["Type"], ["description"] = ["Description"] },
        ImportKind.Vendors => new() { ["name"] = ["ContactName"], ["email"] = ["EmailAddress"], ["phone"] = ["PhoneNumber"],
            ["address"] = ["POAddressLine1"], ["city"] = ["POCity"], ["zip"] = ["POPostalCode"], ["country"] = ["POCountry"],
            ["vatId"] = ["TaxNumber"], ["identifier"] = ["AccountNumber"] },
        ImportKind.Customers => new() { ["name"] = ["ContactName"], ["email"] = ["EmailAddress"], ["address"] = ["POAddressLine1"],
            ["city"] = ["POCity"], ["zip"] = ["POPostalCode"], ["country"] = ["POCountry"], ["vatNumber"] = ["TaxNumber"] },
        ImportKind.Products => new() { ["code"] = ["ItemCode"], ["name"] = ["ItemName"], ["price"] = ["SalesUnitPrice"],
            ["incomeAccount"] = ["SalesAccount"], ["description"] = ["SalesDescription"] },
        ImportKind.OpeningBalances => new() { ["account"] = ["Account"], ["debit"] = ["Debit"], ["credit"] = ["Credit"] },
        ImportKind.Bills or ImportKind.Invoices => new() { ["number"] = ["InvoiceNumber"], ["party"] = ["ContactName"], ["date"] = ["InvoiceDate"],
            ["dueDate"] = ["DueDate"], ["amount"] = ["InvoiceAmountDue", "AmountDue"], ["currency"] = ["Currency"] },
        ImportKind.BankStatement => new() { ["date"] = ["Date"], ["amount"] = ["Amount"], ["description"] = ["Description", "Payee"],
            ["reference"] = ["Reference"], ["id"] = ["Transaction ID"] },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
