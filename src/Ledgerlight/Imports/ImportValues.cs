using System.Text.RegularExpressions;

namespace Ledgerlight.Imports;

/// <summary>
/// Cell values of exports into Ledgerlight's values, no database: amounts into minor units, dates, account types of
/// QuickBooks and Xero into Light's, and account references ("1200 Checking", "Sales (200)") into code and name.
/// Each returns null with a message saying what was expected.
/// </summary>
public static partial class ImportValues
{
    /// <summary>
    /// "1,234.56", "$1,234.56", "-12.00" and the accountants' "(12.00)" (negative). At most the currency's decimals
    /// (two for USD): an amount that would need rounding is refused rather than silently changed.
    /// </summary>
    public static long? Money(string raw, string currency, out string? error)
    {
        error = null;
        var text = raw.Trim();
        var negative = false;
        if (text.StartsWith('(') && text.EndsWith(')')) { negative = true; text = text[1..^1]; }
        text = CurrencyNoise().Replace(text, "");
        if (text.StartsWith('-')) { negative = !negative; text = text[1..]; }
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
        {
            error = $"'{raw}' is not an amount (e.g. 1234.56)";
            return null;
        }
        var scaled = major * Pow10(CurrencyCodes.Exponent(currency));
        if (scaled != decimal.Truncate(scaled))
        {
            error = $"'{raw}' has more decimals than {currency} allows";
            return null;
        }
        if (scaled > Limits.MaxAmount)
        {
            error = $"'{raw}' is beyond the largest amount ({Limits.MaxAmount} minor units)";
            return null;
        }
        var minor = (long)scaled;
        return negative ? -minor : minor;
    }

    static decimal Pow10(int exponent) => exponent switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => (decimal)Math.Pow(10, exponent) };

    [GeneratedRegex(@"[\s,$€£¥]|[A-Z]{3}")]
    private static partial Regex CurrencyNoise();

    public static DateOnly? Date(string raw, IReadOnlyList<string> formats, out string? error)
    {
        error = null;
        var text = raw.Trim();
        // Some exports carry a time after the date ("2026-11-30T00:00:00"); the day is what counts.
        if (text.Length > 10 && text[10] is 'T' or ' ' && text[4] == '-') text = text[..10];
        if (DateOnly.TryParseExact(text, formats.ToArray(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is >= 1900 and <= 2199)
            return date;
        error = $"'{raw}' is not a date ({string.Join(" or ", formats)})";
        return null;
    }

    /// <summary>Account types of QuickBooks (detail or type names) and Xero (codes or names), and Light's own, by their normalized name.</summary>
    static readonly Dictionary<string, string> Types = new()
    {
        // QuickBooks Online account types.
        ["BANK"] = "CASH_AND_EQUIVALENTS", ["ACCOUNTSRECEIVABLE(A/R)"] = "ACCOUNTS_RECEIVABLE", ["ACCOUNTSRECEIVABLE"] = "ACCOUNTS_RECEIVABLE",
        ["OTHERCURRENTASSETS"] = "OTHER_CURRENT_ASSET", ["FIXEDASSETS"] = "TANGIBLE_NON_CURRENT_ASSET", ["OTHERASSETS"] = "OTHER_NON_CURRENT_ASSET",
        ["ACCOUNTSPAYABLE(A/P)"] = "ACCOUNTS_PAYABLE", ["ACCOUNTSPAYABLE"] = "ACCOUNTS_PAYABLE", ["CREDITCARD"] = "OTHER_CURRENT_LIABILITY",
        ["OTHERCURRENTLIABILITIES"] = "OTHER_CURRENT_LIABILITY", ["LONGTERMLIABILITIES"] = "LONG_TERM_LOAN", ["EQUITY"] = "OTHER_EQUITY",
        ["INCOME"] = "REVENUE", ["OTHERINCOME"] = "NON_OPERATING_INCOME", ["COSTOFGOODSSOLD"] = "COST_OF_SALES",
        ["EXPENSES"] = "GENERAL_AND_ADMINISTRATIVE_EXPENSE", ["EXPENSE"] = "GENERAL_AND_ADMINISTRATIVE_EXPENSE", ["OTHEREXPENSE"] = "NON_OPERATING_EXPENSE",
        // Xero account types (export names and API codes).
        ["CURRENT"] = "OTHER_CURRENT_ASSET", ["CURRENTASSET"] = "OTHER_CURRENT_ASSET", ["FIXED"] = "TANGIBLE_NON_CURRENT_ASSET",
        ["FIXEDASSET"] = "TANGIBLE_NON_CURRENT_ASSET", ["NONCURRENT"] = "OTHER_NON_CURRENT_ASSET", ["NON-CURRENTASSET"] = "OTHER_NON_CURRENT_ASSET",
        ["PREPAYMENT"] = "OTHER_CURRENT_ASSET", ["INVENTORY"] = "INVENTORY", ["CURRLIAB"] = "OTHER_CURRENT_LIABILITY",
        ["CURRENTLIABILITY"] = "OTHER_CURRENT_LIABILITY", ["LIABILITY"] = "OTHER_CURRENT_LIABILITY", ["TERMLIAB"] = "LONG_TERM_LOAN",
        ["NON-CURRENTLIABILITY"] = "LONG_TERM_LOAN", ["REVENUE"] = "REVENUE", ["SALES"] = "REVENUE", ["OTHERINCOME"] = "NON_OPERATING_INCOME",
        ["DIRECTCOSTS"] = "COST_OF_SALES", ["OVERHEADS"] = "GENERAL_AND_ADMINISTRATIVE_EXPENSE", ["DEPRECIATN"] = "DEPRECIATION_AND_AMORTIZATION",
        ["DEPRECIATION"] = "DEPRECIATION_AND_AMORTIZATION",
    };

    /// <summary>Light's account type for a source type; Light's own names pass through. BANK is not one: bank ledger accounts come with bank accounts.</summary>
    public static string? AccountType(string raw, out string? error)
    {
        error = null;
        var light = raw.Trim().ToUpperInvariant().Replace(' ', '_');
        if (Ledger.AccountTypes.IsKnown(light) && light != "BANK") return light;
        if (Types.TryGetValue(raw.ToUpperInvariant().Replace(" ", "").Replace("_", ""), out var mapped)) return mapped;
        error = $"unknown account type '{raw}'";
        return null;
    }

    /// <summary>
    /// An account as reports name it: "Sales (200)" (Xero), "1200 Checking" or "1200 · Checking" (QuickBooks with
    /// account numbers), or a plain name or code.
    /// </summary>
    public static (int? Code, string Name) AccountReference(string raw)
    {
        var text = raw.Trim();
        if (TrailingCode().Match(text) is { Success: true } t) return (int.Parse(t.Groups[2].Value, CultureInfo.InvariantCulture), t.Groups[1].Value.Trim());
        if (LeadingCode().Match(text) is { Success: true } l) return (int.Parse(l.Groups[1].Value, CultureInfo.InvariantCulture), l.Groups[2].Value.Trim());
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (code, "") : (null, text);
    }

    [GeneratedRegex(@"^(.*)\((\d{1,9})\)$")]
    private static partial Regex TrailingCode();

    [GeneratedRegex(@"^(\d{1,9})\s*[·\-:]?\s+(.+)$")]
    private static partial Regex LeadingCode();

    /// <summary>Names compare without case or surrounding spaces (vendors, customers, products, account labels).</summary>
    public static string NameKey(string name) => string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
