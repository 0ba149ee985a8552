namespace Ledgerlight.Ledger;

/// <summary>Account types of Light's chart and the statement category each belongs to.</summary>
public static class AccountTypes
{
    static readonly Dictionary<string, string> Categories = new()
    {
        ["BANK"] = "ASSET", ["CARD"] = "ASSET", ["CASH_AND_EQUIVALENTS"] = "ASSET", ["ACCOUNTS_RECEIVABLE"] = "ASSET",
        ["INVENTORY"] = "ASSET", ["CORPORATE_TAX_RECEIVABLE"] = "ASSET", ["OTHER_CURRENT_ASSET"] = "ASSET",
        ["INTANGIBLE_NON_CURRENT_ASSET"] = "ASSET", ["TANGIBLE_NON_CURRENT_ASSET"] = "ASSET",
        ["FINANCIAL_NON_CURRENT_ASSET"] = "ASSET", ["CORPORATE_TAX_DEFERRED_ASSET"] = "ASSET", ["OTHER_NON_CURRENT_ASSET"] = "ASSET",
        ["ACCOUNTS_PAYABLE"] = "LIABILITY", ["OVERDRAFT_FACILITY"] = "LIABILITY", ["CORPORATE_TAX_PAYABLE"] = "LIABILITY",
        ["OTHER_CURRENT_LIABILITY"] = "LIABILITY", ["LONG_TERM_LOAN"] = "LIABILITY",
        ["CORPORATE_TAX_DEFERRED_LIABILITY"] = "LIABILITY", ["OTHER_LONG_TERM_LIABILITY"] = "LIABILITY",
        ["CONTRIBUTED_CAPITAL"] = "EQUITY", ["RETAINED_EARNINGS"] = "EQUITY",
        ["ACCUMULATED_OTHER_COMPREHENSIVE_INCOME"] = "EQUITY", ["OTHER_EQUITY"] = "EQUITY",
        ["COST_OF_SALES"] = "EXPENSE", ["DISTRIBUTION_COST"] = "EXPENSE", ["GENERAL_AND_ADMINISTRATIVE_EXPENSE"] = "EXPENSE",
        ["PERSONNEL_COST"] = "EXPENSE", ["OTHER_OPERATING_EXPENSE"] = "EXPENSE", ["INCOME_TAX"] = "EXPENSE",
        ["DEPRECIATION_AND_AMORTIZATION"] = "EXPENSE", ["NON_OPERATING_EXPENSE"] = "EXPENSE", ["INTEREST_EXPENSE"] = "EXPENSE",
        ["EXCHANGE_RATE_LOSS_REALIZED"] = "EXPENSE", ["EXCHANGE_RATE_LOSS_UNREALIZED"] = "EXPENSE",
        ["OTHER_FINANCIAL_EXPENSE"] = "EXPENSE",
        ["REVENUE"] = "INCOME", ["DISCOUNT"] = "INCOME", ["NON_OPERATING_INCOME"] = "INCOME", ["INTEREST_INCOME"] = "INCOME",
        ["EXCHANGE_RATE_GAIN_REALIZED"] = "INCOME", ["EXCHANGE_RATE_GAIN_UNREALIZED"] = "INCOME", ["OTHER_FINANCIAL_INCOME"] = "INCOME",
    };

    public static bool IsKnown(string type) => Categories.ContainsKey(type);

    public static string CategoryOf(string type) => Categories[type];

    public static IEnumerable<string> OfCategory(params string[] categories) =>
        Categories.Where(kv => categories.Contains(kv.Value)).Select(kv => kv.Key);
}

/// <summary>One account of the chart every new company starts with.</summary>
public sealed record ChartAccount(int Code, string Label, string Type, string? SystemRole = null);

/// <summary>
/// A small, conventional chart (assets 1xxx, liabilities 2xxx, equity 3xxx, income 4xxx/7xxx,
/// expenses 5xxx-8xxx). Accounts with a system role are the ones automatic postings use.
/// </summary>
public static class StandardChart
{
    public static readonly IReadOnlyList<ChartAccount> Accounts =
    [
        new(1100, "Cash on hand", "CASH_AND_EQUIVALENTS"),
        new(1200, "Operating bank account", "BANK", "BANK"),
        new(1300, "Corporate cards", "CARD", "CARD"),
        new(1400, "Accounts receivable", "ACCOUNTS_RECEIVABLE", "AR"),
        new(1500, "Inventory", "INVENTORY"),
        new(1600, "Input VAT", "OTHER_CURRENT_ASSET", "INPUT_TAX"),
        new(1700, "Prepaid expenses", "OTHER_CURRENT_ASSET"),
        new(1800, "Equipment", "TANGIBLE_NON_CURRENT_ASSET"),
        new(2000, "Accounts payable", "ACCOUNTS_PAYABLE", "AP"),
        new(2100, "Output VAT", "OTHER_CURRENT_LIABILITY", "OUTPUT_TAX"),
        new(2200, "Accrued liabilities", "OTHER_CURRENT_LIABILITY"),
        new(2300, "Employee reimbursements payable", "OTHER_CURRENT_LIABILITY", "REIMBURSEMENTS"),
        new(2400, "Corporate tax payable", "CORPORATE_TAX_PAYABLE"),
        new(2500, "Long-term loans", "LONG_TERM_LOAN"),
        new(3000, "Share capital", "CONTRIBUTED_CAPITAL"),
        new(3100, "Retained earnings", "RETAINED_EARNINGS", "RETAINED_EARNINGS"),
        new(4000, "Sales revenue", "REVENUE", "REVENUE"),
        new(4100, "Services revenue", "REVENUE"),
        new(4900, "Sales discounts", "DISCOUNT"),
        new(5000, "Cost of goods sold", "COST_OF_SALES"),
        new(6000, "Salaries and wages", "PERSONNEL_COST"),
        new(6100, "Rent and facilities", "GENERAL_AND_ADMINISTRATIVE_EXPENSE"),
        new(6200, "Software and subscriptions", "GENERAL_AND_ADMINISTRATIVE_EXPENSE", "EXPENSE"),
        new(6300, "Travel and entertainment", "OTHER_OPERATING_EXPENSE"),
        new(6400, "Office supplies", "GENERAL_AND_ADMINISTRATIVE_EXPENSE"),
        new(6500, "Professional fees", "GENERAL_AND_ADMINISTRATIVE_EXPENSE"),
        new(6600, "Marketing", "DISTRIBUTION_COST"),
        new(6900, "Depreciation", "DEPRECIATION_AND_AMORTIZATION"),
        new(7000, "Interest income", "INTEREST_INCOME"),
        new(7100, "Interest expense", "INTEREST_EXPENSE"),
        new(7200, "Bank fees", "OTHER_FINANCIAL_EXPENSE"),
        new(7500, "Realised exchange rate gains", "EXCHANGE_RATE_GAIN_REALIZED", "FX_GAIN"),
        new(7600, "Realised exchange rate losses", "EXCHANGE_RATE_LOSS_REALIZED", "FX_LOSS"),
        new(8000, "Income tax expense", "INCOME_TAX"),
        new(9999, "Suspense", "OTHER_CURRENT_ASSET", "SUSPENSE"),
    ];
}
