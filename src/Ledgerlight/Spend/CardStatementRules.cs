namespace Ledgerlight.Spend;

/// <summary>One data row of a card statement as read, with the line of the file it starts on.</summary>
public sealed record StatementRow(int Line, string ProviderId, string Card, string Type, string Status, string Amount, string Currency,
    string OriginalAmount, string OriginalCurrency, string Merchant, string PerformedAt);

/// <summary>A card of the company as a statement row may name it: by id or by its last four digits.</summary>
public sealed record StatementCard(Guid Id, string LastFour, Guid CompanyEntityId, Guid CardBalanceAccountId, string Currency);

/// <summary>
/// Turns statement rows into card transactions, or says what is wrong with a row. Pure: the cards are given.
/// A row's amount is in the card account's currency (what the statement settled); original_* is what the merchant
/// charged, defaulting to the amount. Amounts are decimal major units with at most the currency's exponent of decimals.
/// </summary>
public static class CardStatementRules
{
    static readonly string[] PaymentStates =
        [CardTransactionStates.Authorized, CardTransactionStates.Captured, CardTransactionStates.Declined, CardTransactionStates.Voided];

    public static NewCardTransaction Parse(StatementRow r, IReadOnlyList<StatementCard> cards, out string? error)
    {
        error = Check(r, cards, out var card, out var minor, out var originalMinor, out var originalCurrency, out var at);
        if (error is not null) return null!;
        var currency = card!.Currency;
        var type = r.Type.ToUpperInvariant();
        var status = r.Status.ToUpperInvariant();
        decimal? rate = originalCurrency == currency ? null
            : originalMinor == 0 ? null
            : decimal.Round(Money.ToMajors(minor, currency) / Money.ToMajors(originalMinor, originalCurrency), 15);
        var merchant = r.Merchant.Length == 0 ? null : r.Merchant;
        return new NewCardTransaction(card.CompanyEntityId, card.CardBalanceAccountId, card.Id, $"statement:{r.ProviderId}", null,
            originalMinor, originalCurrency, minor, currency, rate,
            type == CardTransactionTypes.Refund ? Directions.Credit : Directions.Debit,
            status switch
            {
                CardTransactionStates.Declined => TransactionReasons.InvalidCard,
                CardTransactionStates.Voided => TransactionReasons.Cancelled,
                _ => TransactionReasons.Approved,
            },
            "POS", status, type, SandboxCardIssuer.MerchantJson(merchant is null ? null : new NetworkMerchant(merchant, null, null, null, null)),
            merchant, at, r.ProviderId, status is CardTransactionStates.Captured or CardTransactionStates.Refunded ? at : null);
    }

    static string? Check(StatementRow r, IReadOnlyList<StatementCard> cards, out StatementCard? card, out long minor, out long originalMinor,
        out string originalCurrency, out DateTime at)
    {
        (card, minor, originalMinor, originalCurrency, at) = (null, 0, 0, "", default);
        if (r.ProviderId.Length == 0) return "provider_transaction_id is missing";
        if (r.ProviderId.Length > 200) return "provider_transaction_id is longer than 200 characters";
        if (FindCard(r.Card, cards, out card) is { } cardError) return cardError;
        var type = r.Type.ToUpperInvariant();
        var status = r.Status.ToUpperInvariant();
        if (type != CardTransactionTypes.Payment && type != CardTransactionTypes.Refund) return $"type '{r.Type}' is not PAYMENT or REFUND";
        if (type == CardTransactionTypes.Refund ? status != CardTransactionStates.Refunded : !PaymentStates.Contains(status))
            return $"status '{r.Status}' is not valid for a {type} (PAYMENT: AUTHORIZED, CAPTURED, DECLINED, VOIDED; REFUND: REFUNDED)";
        var currency = r.Currency.ToUpperInvariant();
        if (currency != card!.Currency) return $"currency '{r.Currency}' is not the card account's currency {card.Currency}";
        if (Minor(r.Amount, currency, "amount", out minor) is { } amountError) return amountError;
        originalCurrency = r.OriginalCurrency.Length == 0 ? currency : r.OriginalCurrency.ToUpperInvariant();
        if (!CurrencyCodes.IsKnown(originalCurrency)) return $"original_currency '{r.OriginalCurrency}' is not an ISO 4217 currency";
        if (r.OriginalAmount.Length == 0) originalMinor = originalCurrency == currency ? minor : -1;
        else if (Minor(r.OriginalAmount, originalCurrency, "original_amount", out originalMinor) is { } originalError) return originalError;
        if (originalMinor < 0) return "original_amount is required when original_currency differs from currency";
        if (originalCurrency == currency && originalMinor != minor) return "original_amount differs from amount in the same currency";
        if (!DateTimeOffset.TryParse(r.PerformedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var performed) || !r.PerformedAt.Contains('-'))
            return $"performed_at '{r.PerformedAt}' is not an ISO 8601 date-time";
        at = performed.UtcDateTime;
        return null;
    }

    /// <summary>A card by id, or by last four digits when exactly one card of the company ends in them.</summary>
    static string? FindCard(string raw, IReadOnlyList<StatementCard> cards, out StatementCard? card)
    {
        card = null;
        var matches = Guid.TryParse(raw, out var id) ? cards.Where(c => c.Id == id).ToList()
            : raw.Length == 4 && raw.All(char.IsAsciiDigit) ? cards.Where(c => c.LastFour == raw).ToList()
            : null;
        if (matches is null) return $"card '{raw}' is neither a card id nor four digits";
        if (matches.Count == 0) return $"unknown card '{raw}'";
        if (matches.Count > 1) return $"card '{raw}' matches {matches.Count} cards; use the card id";
        card = matches[0];
        return null;
    }

    /// <summary>Decimal major units → minor units of the currency, within 0..Limits.MaxAmount.</summary>
    public static string? Minor(string raw, string currency, string field, out long minor)
    {
        minor = 0;
        if (!CurrencyCodes.IsKnown(currency)) return $"currency '{currency}' is not an ISO 4217 currency";
        if (!decimal.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
            return $"{field} '{raw}' is not a non-negative decimal number";
        var exponent = CurrencyCodes.Exponent(currency);
        if (major.Scale > exponent && decimal.Round(major, exponent) != major)
            return $"{field} '{raw}' has more than {exponent} decimals, which {currency} allows";
        var scaled = major;
        for (var i = 0; i < exponent; i++) scaled *= 10m;
        if (scaled > Limits.MaxAmount) return $"{field} '{raw}' exceeds the maximum amount of {Limits.MaxAmount} minor units";
        minor = (long)scaled;
        return null;
    }
}
