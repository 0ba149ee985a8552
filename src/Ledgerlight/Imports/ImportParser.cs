using System.Security.Cryptography;
using System.Text;
using Ledgerlight.Organization.Entities;
using Ledgerlight.Organization.Users;
using Ledgerlight.Payables.Vendors;
using Ledgerlight.Receivables.Customers;

namespace Ledgerlight.Imports;

/// <summary>The company's currency (every amount is in it) and the date formats of the source.</summary>
public sealed record ImportSettings(string Currency, IReadOnlyList<string> DateFormats);

/// <summary>
/// Rows into records, no database: every row is checked and every problem reported with its row and column. The
/// request rules the API applies (vendor and customer fields) are reused by building the same requests and running
/// their Validate, so an import accepts exactly what the API accepts.
/// </summary>
public static class ImportParser
{
    public static ParsedFile Parse(ImportKind kind, ImportTable table, ImportSettings settings, IReadOnlyList<ImportProblem> tableProblems)
    {
        var problems = new List<ImportProblem>(tableProblems);
        var records = new List<ImportRecord>();
        var cx = new RowContext(table, settings, problems);
        if (kind == ImportKind.OpeningBalances)
        {
            if (OpeningBalances(cx) is { } opening) records.Add(opening);
        }
        else
        {
            foreach (var row in table.Rows)
            {
                cx.Row = row;
                if (Row(kind, cx) is { } record) records.Add(record);
            }
            records = Deduplicate(kind, table, records, problems);
        }
        return new ParsedFile(kind, table.Source, table.Rows.Count, records, problems);
    }

    static ImportRecord? Row(ImportKind kind, RowContext cx) => kind switch
    {
        ImportKind.Accounts => Account(cx),
        ImportKind.Vendors => Vendor(cx),
        ImportKind.Customers => Customer(cx),
        ImportKind.Products => Product(cx),
        ImportKind.Bills or ImportKind.Invoices => OpenItem(cx),
        ImportKind.BankStatement => BankLine(cx),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// A key twice in one file is a problem, except the repeated header columns of a multi-line bill or invoice (Xero
    /// writes one row per line item): same number and amount is the same item, a different amount is a problem.
    /// Bank lines are keyed by content and occurrence, so they never repeat.
    /// </summary>
    static List<ImportRecord> Deduplicate(ImportKind kind, ImportTable table, List<ImportRecord> records, List<ImportProblem> problems)
    {
        var first = new Dictionary<string, ImportRecord>();
        var kept = new List<ImportRecord>();
        foreach (var record in records)
        {
            if (!first.TryGetValue(record.Key, out var earlier))
            {
                first[record.Key] = record;
                kept.Add(record);
                continue;
            }
            if (record is OpenItemRecord item && earlier is OpenItemRecord e && item.Amount == e.Amount && ImportValues.NameKey(item.Party) == ImportValues.NameKey(e.Party))
                continue;
            var field = kind switch { ImportKind.Accounts => "code", ImportKind.Bills or ImportKind.Invoices => "number", ImportKind.Products => table.Has("code") ? "code" : "name", _ => "name" };
            problems.Add(new ImportProblem(table.Source, record.Line, table.HeaderOf(field), $"'{record.Key}' already appears on row {earlier.Line}"));
        }
        return kept;
    }

    static AccountRecord? Account(RowContext cx)
    {
        var code = cx.Required("code") is { } rawCode
            ? (int.TryParse(rawCode, out var c) && c is >= 1 and <= 999_999_999 ? c : cx.Problem<int?>("code", $"'{rawCode}' is not an account number (1 to 999999999)"))
            : null;
        var name = cx.Required("name");
        if (name is { Length: > 255 }) cx.Problem<string>("name", "at most 255 characters");
        var type = cx.Required("type") is { } rawType ? cx.Check("type", ImportValues.AccountType(rawType, out var error), error) : null;
        return code is { } ok && name is { Length: <= 255 } && type is not null ? new AccountRecord(cx.Row.Line, ok, name, type, cx.Get("description")) : null;
    }

    static VendorRecord? Vendor(RowContext cx)
    {
        var name = cx.Get("name");
        var request = new VendorRequest(name, null, null, cx.Get("vatId"), null, cx.Get("identifier"), null, null, cx.Get("email"),
            cx.Get("phone") is { } phone ? new PhoneNumberModel(null, phone) : null, null, cx.Country("country"), cx.Get("city"), cx.Get("address"),
            cx.Get("zip"), null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        var v = new Validation();
        request.Validate(v, isCreate: true);
        return cx.Report(v, VendorPaths) && name is not null ? new VendorRecord(cx.Row.Line, name, request) : null;
    }

    static readonly Dictionary<string, string> VendorPaths = new()
    {
        ["name"] = "name", ["email"] = "email", ["vatId"] = "vatId", ["identifier"] = "identifier", ["phoneNumber"] = "phone",
        ["country"] = "country", ["city"] = "city", ["address"] = "address", ["zipcode"] = "zip",
    };

    static CustomerRecord? Customer(RowContext cx)
    {
        var name = cx.Get("name");
        var address = cx.Get("address") is null && cx.Get("city") is null && cx.Get("zip") is null && cx.Get("country") is null
            ? null
            : new AddressModel(cx.Country("country"), cx.Get("city"), null, cx.Get("zip"), cx.Get("address"), null);
        var request = new CustomerRequest(name, cx.Get("email"), address, address, null, null, null, cx.Get("vatNumber"), null, null, null, null,
            null, null, null, null, null);
        var v = new Validation();
        request.Validate(v, isCreate: true);
        return cx.Report(v, CustomerPaths) && name is not null ? new CustomerRecord(cx.Row.Line, name, request) : null;
    }

    static readonly Dictionary<string, string> CustomerPaths = new()
    {
        ["name"] = "name", ["email"] = "email", ["vatNumber"] = "vatNumber", ["address"] = "country", ["billingAddress"] = "country",
    };

    static ProductRecord? Product(RowContext cx)
    {
        var name = cx.Required("name");
        if (name is { Length: > 255 }) cx.Problem<string>("name", "at most 255 characters");
        var price = cx.Get("price") is { } raw ? cx.Money("price", raw) : null;
        if (price is < 0) cx.Problem<long?>("price", "a price must not be negative");
        var ok = name is { Length: <= 255 } && (cx.Get("price") is null || price is >= 0);
        return ok ? new ProductRecord(cx.Row.Line, cx.Get("code") ?? name!, name!, price, cx.Get("incomeAccount"), cx.Header("incomeAccount")) : null;
    }

    static OpenItemRecord? OpenItem(RowContext cx)
    {
        var number = cx.Required("number");
        if (number is { Length: > 100 }) cx.Problem<string>("number", "at most 100 characters");
        var party = cx.Required("party");
        var date = cx.Required("date") is { } rawDate ? cx.Date("date", rawDate) : null;
        var due = cx.Get("dueDate") is { } rawDue ? cx.Date("dueDate", rawDue) : null;
        var amount = cx.Required("amount") is { } rawAmount ? cx.Money("amount", rawAmount) : null;
        if (amount is <= 0) cx.Problem<long?>("amount", "an open item's balance must be positive (credits are not imported as open items)");
        if (cx.Get("currency") is { } currency && !string.Equals(currency, cx.Settings.Currency, StringComparison.OrdinalIgnoreCase))
            cx.Problem<string>("currency", $"only the company's currency ({cx.Settings.Currency}) is imported");
        var dueOk = cx.Get("dueDate") is null || due is not null;
        return number is { Length: <= 100 } && party is not null && date is { } d && dueOk && amount is > 0 && cx.RowClean
            ? new OpenItemRecord(cx.Row.Line, number, party, cx.Header("party"), d, due, amount.Value)
            : null;
    }

    static BankLineRecord? BankLine(RowContext cx)
    {
        var date = cx.Required("date") is { } rawDate ? cx.Date("date", rawDate) : null;
        long? signed = null;
        if (cx.Get("amount") is { } raw) signed = cx.Money("amount", raw);
        else if (cx.Get("moneyIn") is { } rawIn) signed = cx.Money("moneyIn", rawIn);
        else if (cx.Get("moneyOut") is { } rawOut) signed = -cx.Money("moneyOut", rawOut);
        else cx.Problem<long?>(cx.Table.Has("amount") ? "amount" : "moneyIn", "an amount is required");
        if (signed == 0) cx.Problem<long?>("amount", "a bank line's amount must not be zero");
        if (date is not { } d || signed is not { } s || s == 0) return null;
        var description = cx.Get("description");
        var reference = cx.Get("reference");
        var key = cx.Get("id") ?? cx.ContentKey($"{d:yyyy-MM-dd}|{s}|{description}|{reference}");
        return new BankLineRecord(cx.Row.Line, key, d, Math.Abs(s), s > 0 ? "C" : "D", description, reference);
    }

    /// <summary>Every row with an amount is a line; "Total" rows of report exports are skipped; debits must equal credits.</summary>
    static OpeningBalancesRecord? OpeningBalances(RowContext cx)
    {
        var lines = new List<OpeningLine>();
        foreach (var row in cx.Table.Rows)
        {
            cx.Row = row;
            var account = cx.Get("account");
            if (account is null) continue;
            long debit = cx.Get("debit") is { } d ? cx.Money("debit", d) ?? 0 : 0;
            long credit = cx.Get("credit") is { } c ? cx.Money("credit", c) ?? 0 : 0;
            long signed = cx.Get("amount") is { } a ? cx.Money("amount", a) ?? 0 : 0;
            var amount = debit - credit + signed;
            if (amount != 0) lines.Add(new OpeningLine(row.Line, account, cx.Header("account"), amount));
        }
        var (debits, credits) = (lines.Where(l => l.Amount > 0).Sum(l => l.Amount), -lines.Where(l => l.Amount < 0).Sum(l => l.Amount));
        var last = cx.Table.Rows.Count > 0 ? cx.Table.Rows[^1].Line : cx.Table.HeaderLine;
        if (debits != credits)
            cx.Problems.Add(new ImportProblem(cx.Table.Source, last, cx.Header(cx.Table.Has("debit") ? "debit" : "amount"),
                $"the opening balances do not balance: debits {Majors(debits, cx)} and credits {Majors(credits, cx)} differ by {Majors(Math.Abs(debits - credits), cx)}"));
        if (lines.Count == 0 && cx.Problems.Count == 0)
            cx.Problems.Add(new ImportProblem(cx.Table.Source, last, null, "no account has an opening balance"));
        return lines.Count > 0 && debits == credits ? new OpeningBalancesRecord(cx.Table.HeaderLine, lines) : null;
    }

    static string Majors(long minor, RowContext cx) =>
        Platform.Money.ToMajors(minor, cx.Settings.Currency).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + cx.Settings.Currency;

    /// <summary>The row being read and where its problems go.</summary>
    sealed class RowContext(ImportTable table, ImportSettings settings, List<ImportProblem> problems)
    {
        public ImportTable Table => table;
        public ImportSettings Settings => settings;
        public List<ImportProblem> Problems => problems;
        readonly Dictionary<string, int> _occurrences = [];
        int _problemsBefore;
        ImportRow _row = new(0, []);

        public ImportRow Row
        {
            get => _row;
            set { _row = value; _problemsBefore = problems.Count; }
        }

        /// <summary>True while the current row has no problem.</summary>
        public bool RowClean => problems.Count == _problemsBefore;

        public string? Get(string field) => table.Get(Row, field);
        public string Header(string field) => table.HeaderOf(field);

        public T? Problem<T>(string field, string message)
        {
            problems.Add(new ImportProblem(table.Source, Row.Line, Header(field), message));
            return default;
        }

        public string? Required(string field) => Get(field) ?? Problem<string>(field, "a value is required");

        public T? Check<T>(string field, T? value, string? error) => error is null ? value : Problem<T>(field, error);

        public long? Money(string field, string raw) => Check(field, ImportValues.Money(raw, settings.Currency, out var error), error);

        public DateOnly? Date(string field, string raw) => Check(field, ImportValues.Date(raw, settings.DateFormats, out var error), error);

        /// <summary>Countries are ISO codes in Ledgerlight; exports often write them so already, any case.</summary>
        public string? Country(string field) => Get(field)?.ToUpperInvariant();

        /// <summary>The API's field errors of the row's request, each named by the source column it came from.</summary>
        public bool Report(Validation v, IReadOnlyDictionary<string, string> fieldOf)
        {
            try { v.ThrowIfAny(); return true; }
            catch (ApiException e)
            {
                foreach (var error in e.Errors)
                {
                    var path = error.Path is { Count: > 0 } p ? p[0].ToString()! : "";
                    Problem<string>(fieldOf.TryGetValue(path, out var field) ? field : path, error.Message);
                }
                return false;
            }
        }

        /// <summary>A statement line without an id is known by its content and how often that content occurred before in the file.</summary>
        public string ContentKey(string content)
        {
            var n = _occurrences[content] = _occurrences.GetValueOrDefault(content) + 1;
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{content}#{n}")))[..40];
        }
    }
}
