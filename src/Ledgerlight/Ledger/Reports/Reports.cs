namespace Ledgerlight.Ledger.Reports;

/// <summary>One account's movements in a report, in the entity's local currency (minor units).</summary>
public sealed record AccountBalance(Guid AccountId, int Code, string Label, string Type, string Category, long Debit, long Credit)
{
    /// <summary>Debit-positive balance.</summary>
    public long Balance => Debit - Credit;
}

public sealed record TrialBalanceLine(Guid AccountId, int Code, string Label, string Type, string Category, long Debit, long Credit, long Balance);

public sealed record TrialBalance(Guid CompanyEntityId, string LedgerName, DateOnly AsOf, string Currency,
    IReadOnlyList<TrialBalanceLine> Accounts, long TotalDebit, long TotalCredit, long Difference);

public sealed record StatementLine(Guid AccountId, int Code, string Label, string Type, long Amount);

public sealed record StatementSection(string Category, IReadOnlyList<StatementLine> Accounts, long Total);

public sealed record BalanceSheet(Guid CompanyEntityId, DateOnly AsOf, string Currency, StatementSection Assets, StatementSection Liabilities,
    StatementSection Equity, long CurrentResult, long TotalLiabilitiesAndEquity, bool Balanced);

public sealed record ProfitAndLoss(Guid CompanyEntityId, DateOnly From, DateOnly To, string Currency, StatementSection Income,
    StatementSection Expenses, long NetResult);

/// <summary>
/// Statement arithmetic over account balances, no database. Amounts are shown with their natural
/// sign (assets and expenses debit-positive; liabilities, equity and income credit-positive), so
/// Assets = Liabilities + Equity + current result, and the trial balance's difference is zero.
/// </summary>
public static class ReportRules
{
    public static TrialBalance TrialBalance(Guid entityId, string ledgerName, DateOnly asOf, string currency, IReadOnlyList<AccountBalance> balances)
    {
        var lines = balances.Select(b => new TrialBalanceLine(b.AccountId, b.Code, b.Label, b.Type, b.Category, b.Debit, b.Credit, b.Balance)).ToList();
        long debit = balances.Sum(b => b.Debit), credit = balances.Sum(b => b.Credit);
        return new TrialBalance(entityId, ledgerName, asOf, currency, lines, debit, credit, debit - credit);
    }

    public static BalanceSheet BalanceSheet(Guid entityId, DateOnly asOf, string currency, IReadOnlyList<AccountBalance> balances)
    {
        var assets = Section("ASSET", balances, debitPositive: true);
        var liabilities = Section("LIABILITY", balances, debitPositive: false);
        var equity = Section("EQUITY", balances, debitPositive: false);
        var result = -balances.Where(b => b.Category is "INCOME" or "EXPENSE").Sum(b => b.Balance);
        var right = liabilities.Total + equity.Total + result;
        return new BalanceSheet(entityId, asOf, currency, assets, liabilities, equity, result, right, assets.Total == right);
    }

    public static ProfitAndLoss ProfitAndLoss(Guid entityId, DateOnly from, DateOnly to, string currency, IReadOnlyList<AccountBalance> balances)
    {
        var income = Section("INCOME", balances, debitPositive: false);
        var expenses = Section("EXPENSE", balances, debitPositive: true);
        return new ProfitAndLoss(entityId, from, to, currency, income, expenses, income.Total - expenses.Total);
    }

    static StatementSection Section(string category, IReadOnlyList<AccountBalance> balances, bool debitPositive)
    {
        var lines = balances.Where(b => b.Category == category)
            .Select(b => new StatementLine(b.AccountId, b.Code, b.Label, b.Type, debitPositive ? b.Balance : -b.Balance)).ToList();
        return new StatementSection(category, lines, lines.Sum(l => l.Amount));
    }
}
