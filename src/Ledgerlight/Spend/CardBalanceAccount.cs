namespace Ledgerlight.Spend;

/// <summary>ExternalCardBalanceAccountBalanceV1Model.</summary>
public sealed record CardBalanceModel(long Available, long Settled, long Reserved, string Currency);

/// <summary>ExternalCardBalanceAccountV1Model.</summary>
public sealed record CardBalanceAccountModel(
    Guid Id, Guid CompanyEntityId, Guid CompanyId, string Currency, string Label, string Status, CardBalanceModel Balance,
    DateTime CreatedAt, DateTime UpdatedAt, bool Primary);

/// <summary>ExternalCardBalanceAccountSpendV1Model.</summary>
public sealed record CardSpendModel(string Currency, long Total, DateTime From, DateTime To);

/// <summary>ExternalCardBalanceAccountStatementV1Model.</summary>
public sealed record CardStatementModel(
    Guid BalanceAccountId, string Currency, DateTime PeriodStart, DateTime PeriodEnd, long OpeningBalance, long ClosingBalance,
    IReadOnlyList<StatementLine> Transactions, DateTime GeneratedAt);

/// <summary>
/// The sums a balance account's balance is made of. Available = funded − captured − authorized-not-captured + refunds;
/// settled leaves the open authorizations out; reserved is them.
/// </summary>
public sealed record BalanceTotals(long Funded, long Captured, long Reserved, long Refunded)
{
    public static readonly BalanceTotals Zero = new(0, 0, 0, 0);
    public long Settled => checked(Funded - Captured + Refunded);
    public long Available => checked(Settled - Reserved);
    public CardBalanceModel ToModel(string currency) => new(Available, Settled, Reserved, currency);
}

/// <summary>LedgerlightFundCardBalanceAccountRequest: move money from a bank account into a balance account.</summary>
public sealed record FundCardBalanceAccountRequest(Guid? BankAccountId, long? Amount, DateOnly? Date, string? Description)
{
    public void Validate(Validation v)
    {
        v.Required(BankAccountId, "bankAccountId");
        v.Required(Amount, "amount");
        if (Amount is <= 0) v.Add("'amount' must be positive (minor units)", "amount");
        else v.Amount(Amount, "amount");
        v.MaxLength(Description, 1000, "description");
    }
}

public sealed class CardBalanceAccountRow : TimestampedRow
{
    public Guid CompanyEntityId { get; set; }
    public string Currency { get; set; } = "";
    public string Label { get; set; } = "";
    public string Status { get; set; } = "";
    public bool IsPrimary { get; set; }

    public const string Columns =
        "b.company_id, b.id, b.company_entity_id, trim(b.currency) AS currency, b.label, b.status, b.is_primary, b.created_at, b.updated_at";

    public CardBalanceAccountModel ToModel(BalanceTotals totals) =>
        new(Id, CompanyEntityId, CompanyId, Currency, Label, Status, totals.ToModel(Currency), CreatedAt, UpdatedAt, IsPrimary);
}

public static class CardBalanceAccountStatuses
{
    public const string Active = "ACTIVE";
    public const string Closed = "CLOSED";
}
