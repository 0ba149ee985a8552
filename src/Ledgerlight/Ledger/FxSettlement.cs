namespace Ledgerlight.Ledger;

/// <summary>
/// Realised exchange differences. An open item (a receivable or payable in a foreign currency) is
/// booked at the rate of its document date; it is settled at the rate of the payment date. The
/// control account must be cleared at the booked amount and the bank moves at the paid amount;
/// the difference is a realised gain or loss.
/// </summary>
public static class FxSettlement
{
    /// <summary>
    /// Lines that settle <paramref name="amount"/> (document currency) of an open item booked at
    /// <paramref name="bookedLocal"/>, paid into or out of <paramref name="bankAccountId"/> at
    /// <paramref name="paidLocal"/>. <paramref name="itemSide"/> is the side the open item sits on
    /// (D for a receivable, C for a payable). Group amounts follow the same rule.
    /// </summary>
    public static List<PostingLine> Lines(Guid controlAccountId, string itemSide, Guid bankAccountId, long amount,
        long bookedLocal, long paidLocal, long bookedGroup, long paidGroup, Guid fxGainAccountId, Guid fxLossAccountId)
    {
        var clearSide = DcSign.Flip(itemSide);
        var lines = new List<PostingLine>
        {
            new(controlAccountId, clearSide, amount, "Settlement", LocalAmount: bookedLocal, GroupAmount: bookedGroup),
            new(bankAccountId, itemSide, amount, "Settlement", LocalAmount: paidLocal, GroupAmount: paidGroup),
        };
        // For a receivable, receiving more (local) than booked is a gain; for a payable, paying more is a loss.
        var localDifference = itemSide == DcSign.Debit ? paidLocal - bookedLocal : bookedLocal - paidLocal;
        var groupDifference = itemSide == DcSign.Debit ? paidGroup - bookedGroup : bookedGroup - paidGroup;
        if (localDifference != 0 || groupDifference != 0)
        {
            // One line carries the difference; its side follows the local amount (group follows the same rate move).
            var gain = localDifference > 0 || (localDifference == 0 && groupDifference > 0);
            lines.Add(new PostingLine(gain ? fxGainAccountId : fxLossAccountId, gain ? DcSign.Credit : DcSign.Debit, 0,
                gain ? "Realised exchange rate gain" : "Realised exchange rate loss",
                LocalAmount: Math.Abs(localDifference), GroupAmount: Math.Abs(groupDifference)));
        }
        return lines;
    }
}
