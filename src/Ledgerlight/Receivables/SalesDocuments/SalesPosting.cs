namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>Which way a sales document moves the receivable: an invoice raises it (Dr AR), a customer credit lowers it (Cr AR).</summary>
public enum SalesSide { Invoice, Credit }

/// <summary>A line as it posts: its net amount to the revenue account, its tax to the tax account (accounts already resolved).</summary>
public sealed record SalesPostingLine(Guid LineId, Guid RevenueAccountId, long NetAmount, Guid TaxAccountId, long TaxAmount, Guid? TaxCodeId,
    string? TaxCode, string? Label);

/// <summary>The request fields a posting line points back to, for the engine's error messages.</summary>
public sealed record SalesPostingPaths(string AccountField, string TaxField)
{
    public static readonly SalesPostingPaths Invoice = new("accountId", "taxCodeId");
    public static readonly SalesPostingPaths Credit = new("ledgerAccountId", "ledgerTaxId");
}

/// <summary>
/// The posting lines of a sales document, no database. An invoice opening is Dr AR (gross) / Cr revenue per line (net) /
/// Cr output tax per line; a customer credit posting is the same with debit and credit swapped. Zero amounts post nothing.
/// </summary>
public static class SalesPosting
{
    public static List<PostingLine> Lines(SalesSide side, Guid receivableAccountId, long total, string? description,
        IReadOnlyList<SalesPostingLine> lines, SalesPostingPaths paths)
    {
        var receivableSide = side == SalesSide.Invoice ? DcSign.Debit : DcSign.Credit;
        var lineSide = DcSign.Flip(receivableSide);
        var result = new List<PostingLine> { new(receivableAccountId, receivableSide, total, description, Path: ["amount"]) };
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            if (l.NetAmount > 0)
                result.Add(new PostingLine(l.RevenueAccountId, lineSide, l.NetAmount, l.Label, l.LineId, l.TaxCodeId, Path: ["lines", i, paths.AccountField]));
            if (l.TaxAmount > 0)
                result.Add(new PostingLine(l.TaxAccountId, lineSide, l.TaxAmount, l.Label, l.LineId, l.TaxCodeId, l.TaxCode,
                    Path: ["lines", i, paths.TaxField]));
        }
        return result;
    }

    /// <summary>
    /// A bank receipt against the receivable (document type BP). In the entity's own currency, or at the booked rate, it is
    /// Dr bank / Cr AR; when the rate moved since the invoice was booked, AR is cleared at the booked local and group amounts,
    /// the bank is debited at today's, and the difference is a realised FX gain or loss (<see cref="FxSettlement"/>).
    /// </summary>
    public static List<PostingLine> Payment(Guid bankAccountId, Guid receivableAccountId, long amount, string description, SettlementAmounts? fx,
        Guid fxGainAccountId, Guid fxLossAccountId)
    {
        if (fx is null || !fx.HasDifference)
            return
            [
                new PostingLine(bankAccountId, DcSign.Debit, amount, description, Path: ["bankAccountId"]),
                new PostingLine(receivableAccountId, DcSign.Credit, amount, description, Path: ["amountInInvoiceCurrency"]),
            ];
        return FxSettlement.Lines(receivableAccountId, DcSign.Debit, bankAccountId, amount, fx.BookedLocal, fx.PaidLocal, fx.BookedGroup, fx.PaidGroup,
            fxGainAccountId, fxLossAccountId);
    }
}

/// <summary>Builds the clearing of a customer credit against an invoice (document type CN), no database.</summary>
public static class CreditClearing
{
    /// <summary>
    /// Dr AR on the credit's side / Cr AR on the invoice's side. When the two were booked at different rates, each side is cleared at
    /// its own booked local and group value and the difference is a realised FX line (a credit to the gain account when the credit's
    /// side is the larger, else a debit to the loss account); local and group differences of opposite signs take a line each.
    /// </summary>
    public static List<PostingLine> Lines(Guid receivableAccountId, long amount, string description, LocalAndGroup<long>? creditBooked,
        LocalAndGroup<long>? invoiceBooked, Guid fxGainAccountId, Guid fxLossAccountId)
    {
        if (creditBooked is null || invoiceBooked is null || creditBooked == invoiceBooked)
            return
            [
                new PostingLine(receivableAccountId, DcSign.Debit, amount, description, Path: ["amount"]),
                new PostingLine(receivableAccountId, DcSign.Credit, amount, description, Path: ["amount"]),
            ];
        var lines = new List<PostingLine>
        {
            new(receivableAccountId, DcSign.Debit, amount, description, LocalAmount: creditBooked.Local, GroupAmount: creditBooked.Group, Path: ["amount"]),
            new(receivableAccountId, DcSign.Credit, amount, description, LocalAmount: invoiceBooked.Local, GroupAmount: invoiceBooked.Group, Path: ["amount"]),
        };
        var local = creditBooked.Local - invoiceBooked.Local;
        var group = creditBooked.Group - invoiceBooked.Group;
        if (Math.Sign(local) * Math.Sign(group) >= 0) lines.Add(Difference(local != 0 ? Math.Sign(local) : Math.Sign(group), local, group));
        else
        {
            lines.Add(Difference(Math.Sign(local), local, 0));
            lines.Add(Difference(Math.Sign(group), 0, group));
        }
        return lines;

        // A debit excess is balanced by a credit (a gain), a credit excess by a debit (a loss).
        PostingLine Difference(int sign, long localDifference, long groupDifference) => sign > 0
            ? new PostingLine(fxGainAccountId, DcSign.Credit, 0, "Realised exchange rate gain", LocalAmount: Math.Abs(localDifference),
                GroupAmount: Math.Abs(groupDifference))
            : new PostingLine(fxLossAccountId, DcSign.Debit, 0, "Realised exchange rate loss", LocalAmount: Math.Abs(localDifference),
                GroupAmount: Math.Abs(groupDifference));
    }
}

/// <summary>What an amount of an open item was booked at and what it is worth at the clearing date, in local and group currency.</summary>
public sealed record SettlementAmounts(long BookedLocal, long PaidLocal, long BookedGroup, long PaidGroup)
{
    public bool HasDifference => BookedLocal != PaidLocal || BookedGroup != PaidGroup;
}
