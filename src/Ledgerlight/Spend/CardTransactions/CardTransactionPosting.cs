using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Spend.CardTransactions;

/// <summary>
/// The posting of a card transaction, no database. A payment is Dr each line's expense account (net) and
/// the input tax of its tax code, Cr the card balance account's ledger account (the gross); a refund posts
/// the mirror. The shape is a bill's against the CARD account instead of accounts payable
/// (<see cref="PayablePosting"/>), so card spend and bills book tax the same way.
/// </summary>
public static class CardTransactionPosting
{
    static readonly PostingPaths Paths = new("lines", "accountId", "taxAmount");

    /// <summary>A payment credits the card account like a bill credits AP; a refund debits it back like a credit note.</summary>
    public static PayableSide SideOf(string type) => type == CardTransactionTypes.Refund ? PayableSide.CreditNote : PayableSide.Bill;

    /// <param name="cardAccount">The ledger account of the card balance account (the CARD system account).</param>
    /// <param name="taxAccounts">Input-tax account per <see cref="PayablePosting.TaxKey"/> of every line with tax.</param>
    public static List<PostingLine> Lines(string type, Guid cardAccount, string? description, IReadOnlyList<PostableLine> lines,
        IReadOnlyDictionary<Guid, Guid> taxAccounts) =>
        PayablePosting.Lines(SideOf(type), cardAccount, description, lines, taxAccounts, Paths);

    /// <summary>
    /// What must hold before posting (422 with the paths): lines that each name an account and add up to the
    /// settled amount, so the card account moves by exactly what left (or came back to) the balance account.
    /// </summary>
    public static void CheckPostable(long amount, IReadOnlyList<CardTransactionLineRow> lines)
    {
        var v = new Validation();
        if (lines.Count == 0) v.Add("A card transaction needs lines to be posted", "lines");
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].AccountId is null) v.Required(null, "lines", i, "accountId");
        var total = lines.Sum(l => l.NetAmount + l.TaxAmount);
        if (lines.Count > 0 && total != amount)
            v.Add($"The lines add up to {total}, the transaction amount is {amount}", "lines");
        if (amount == 0) v.Add("A card transaction with a zero amount cannot be posted", "amount");
        v.ThrowIfAny(422, "The card transaction is not complete enough to post");
    }

    /// <summary>One line of a refund coded like its payment.</summary>
    public sealed record MirroredLine(Guid? AccountId, Guid? TaxCodeId, Guid? CostCenterId, long Amount, long NetAmount, long TaxAmount, string? Description);

    /// <summary>
    /// A refund coded like its payment, so its posting is the mirror: each payment line's share of the refund
    /// (amount × refund / payment total), net and tax in the line's own proportion, rounded half away from zero;
    /// the last line takes what rounding left so the lines add up to the refund exactly.
    /// </summary>
    public static List<MirroredLine> MirrorCoding(long refundAmount, IReadOnlyList<CardTransactionLineRow> paymentLines)
    {
        var total = paymentLines.Sum(l => l.Amount);
        var result = new List<MirroredLine>();
        if (total <= 0 || paymentLines.Count == 0) return result;
        long given = 0;
        for (var i = 0; i < paymentLines.Count; i++)
        {
            var line = paymentLines[i];
            var amount = i == paymentLines.Count - 1
                ? refundAmount - given
                : (long)decimal.Round((decimal)refundAmount * line.Amount / total, 0, MidpointRounding.AwayFromZero);
            given += amount;
            var tax = line.Amount == 0 ? 0 : (long)decimal.Round((decimal)line.TaxAmount * amount / line.Amount, 0, MidpointRounding.AwayFromZero);
            result.Add(new MirroredLine(line.AccountId, line.TaxCodeId, line.CostCenterId, amount, amount - tax, tax, line.Description));
        }
        return result;
    }
}
