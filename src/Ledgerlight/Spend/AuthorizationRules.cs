namespace Ledgerlight.Spend;

/// <summary>A limit as the issuer checks it: its amount and what was already spent in its current window (0 for per-transaction).</summary>
public sealed record LimitUsage(string Interval, long Amount, long SpentInWindow);

/// <summary>Everything the issuer decides an authorization on, read under the card and balance-account locks.</summary>
public sealed record AuthorizationFacts(
    string CardStatus, string BalanceAccountStatus, string OwnerStatus, long Amount, IReadOnlyList<LimitUsage> Limits, long Available,
    bool HasRate = true);

public sealed record AuthorizationDecision(bool Approved, string Reason);

/// <summary>transactionReason values the sandbox issuer answers with (Light's enum).</summary>
public static class TransactionReasons
{
    public const string Approved = "APPROVED";
    public const string CardBlocked = "CARD_BLOCKED";
    public const string InvalidCard = "INVALID_CARD";
    public const string AccountNotActive = "ACCOUNT_NOT_ACTIVE";
    public const string BalanceAccountBlocked = "BALANCE_ACCOUNT_BLOCKED_BY_RULE";
    public const string AmountLimitExceeded = "AMOUNT_LIMIT_EXCEEDED";
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";
    public const string InvalidAmount = "INVALID_AMOUNT";
    public const string NotPermitted = "TRANSACTION_NOT_PERMITTED";
    public const string Cancelled = "CANCELLED";
}

/// <summary>
/// The issuer's decision on one authorization, a pure function. The order matters and is the
/// network's usual one: the card itself, then its owner and account, then the amount against the
/// card's limits, and funds last (a declined limit never reads as a funding problem).
/// </summary>
public static class AuthorizationRules
{
    public static AuthorizationDecision Decide(AuthorizationFacts f)
    {
        if (f.CardStatus == CardStates.Frozen) return Decline(TransactionReasons.CardBlocked);
        if (f.CardStatus != CardStates.Active) return Decline(TransactionReasons.InvalidCard);
        if (f.OwnerStatus != Organization.Users.UserRules.Active) return Decline(TransactionReasons.AccountNotActive);
        if (f.BalanceAccountStatus != "ACTIVE") return Decline(TransactionReasons.BalanceAccountBlocked);
        if (!f.HasRate) return Decline(TransactionReasons.NotPermitted);
        if (f.Amount <= 0) return Decline(TransactionReasons.InvalidAmount);
        foreach (var limit in f.Limits)
            if (f.Amount > limit.Amount - limit.SpentInWindow) return Decline(TransactionReasons.AmountLimitExceeded);
        if (f.Amount > f.Available) return Decline(TransactionReasons.InsufficientFunds);
        return new AuthorizationDecision(true, TransactionReasons.Approved);
    }

    static AuthorizationDecision Decline(string reason) => new(false, reason);
}
