using Ledgerlight.Currencies;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>
/// One side of a clearing, an open item in accounts payable: its amount (document currency) and what it was
/// booked at in local and group currency, what earlier clearings took, and the rates it was booked at.
/// </summary>
public sealed record OpenItem(long Amount, long Cleared, long BookedLocal, long BookedGroup, long ClearedLocal, long ClearedGroup,
    decimal LocalRate, decimal GroupRate);

/// <summary>The document currency of a clearing and the entity's local and the company's group currency.</summary>
public sealed record ClearingCurrencies(string Document, string Local, string Group);

/// <summary>What one clearing takes off an open item, in local and group currency.</summary>
public sealed record ClearedShare(long Local, long Group);

/// <summary>
/// Clearing a posted credit note against a posted bill, no database: which applications are allowed, what
/// each side's open item gives up, and the CN clearing's lines. Both documents sit in accounts payable,
/// each at the rate it was booked at; when those rates differ (a foreign-currency pair booked on different
/// days), the difference between the two local (and group) amounts is a realised exchange gain or loss,
/// exactly as a bank payment books it (<see cref="FxSettlement"/>).
/// </summary>
public static class CreditNoteClearingRules
{
    /// <summary>A link's amount as requested: required, and within the money bounds (400 otherwise).</summary>
    public static long RequireAmount(long? amount)
    {
        if (amount is null) throw ApiException.BadRequest("'amount' is required", "amount");
        if (amount > Limits.MaxAmount) throw ApiException.BadRequest($"'amount' must be at most {Limits.MaxAmount} (minor units)", "amount");
        return amount.Value;
    }

    /// <summary>The open amount on either side of a link, and the error when an application would exceed it.</summary>
    public static void CheckApplication(long amount, long openOnNote, long openOnBill)
    {
        if (amount <= 0) throw ApiException.BadRequest("'amount' must be greater than zero", "amount");
        if (amount > openOnNote)
            throw ApiException.Unprocessable($"Clearing amount {amount} exceeds the credit note's available balance of {openOnNote}", "amount");
        if (amount > openOnBill)
            throw ApiException.Unprocessable($"Clearing amount {amount} exceeds the invoice payable's open amount of {openOnBill}", "amount");
    }

    /// <summary>A credit note clears only a live bill of the same entity, vendor and currency.</summary>
    public static void CheckCompatible(string billState, Guid noteEntity, Guid billEntity, Guid? noteVendor, Guid? billVendor, string noteCurrency,
        string billCurrency)
    {
        if (billState is InvoicePayables.BillState.Cancelled)
            throw ApiException.Conflict($"Invoice payable is {billState}; a credit note cannot be linked to it");
        if (noteEntity != billEntity)
            throw ApiException.Unprocessable("The credit note and the invoice payable belong to different company entities", "companyEntityId");
        if (noteVendor is null || noteVendor != billVendor)
            throw ApiException.Unprocessable("The credit note and the invoice payable have different vendors", "businessPartnerId");
        if (noteCurrency != billCurrency)
            throw ApiException.Unprocessable($"The credit note is in {noteCurrency}; the invoice payable is in {billCurrency}", "currency");
    }

    /// <summary>A bill's state as the status of a related accounting document (the link's view of the bill).</summary>
    public static string DocumentStatusOf(string billState) => billState switch
    {
        InvoicePayables.BillState.Unpaid => "POSTED",
        InvoicePayables.BillState.PartiallyPaid => "PARTIALLY_CLEARED",
        InvoicePayables.BillState.Paid or InvoicePayables.BillState.Completed => "CLEARED",
        InvoicePayables.BillState.Cancelled => "ARCHIVED",
        _ => "DRAFT",
    };

    /// <summary>
    /// What clearing <paramref name="amount"/> takes off <paramref name="item"/>: converted at the item's booked rate,
    /// except the clearing that empties it, which takes whatever is left, so rounding never strands a cent.
    /// </summary>
    public static ClearedShare Share(OpenItem item, long amount, ClearingCurrencies currencies)
    {
        var outstanding = item.Amount - item.Cleared;
        if (amount > outstanding)
            throw ApiException.Unprocessable($"Clearing amount {amount} exceeds the invoice payable's open amount of {outstanding}", "amount");
        return amount == outstanding
            ? new ClearedShare(item.BookedLocal - item.ClearedLocal, item.BookedGroup - item.ClearedGroup)
            : new ClearedShare(Money.Convert(amount, currencies.Document, currencies.Local, item.LocalRate),
                Money.Convert(amount, currencies.Document, currencies.Group, item.GroupRate));
    }

    /// <summary>
    /// The CN clearing: Dr accounts payable for the bill at the bill's share, Cr accounts payable for the note at
    /// the note's share, and the realised difference: a bill booked higher than the note is a gain (Cr), lower a loss (Dr).
    /// </summary>
    public static List<PostingLine> Lines(Guid apAccount, Guid billId, Guid noteId, long amount, string description, ClearedShare bill,
        ClearedShare note, Guid fxGainAccount, Guid fxLossAccount)
    {
        var lines = new List<PostingLine>
        {
            new(apAccount, DcSign.Debit, amount, description, billId, LocalAmount: bill.Local, GroupAmount: bill.Group),
            new(apAccount, DcSign.Credit, amount, description, noteId, LocalAmount: note.Local, GroupAmount: note.Group),
        };
        var local = bill.Local - note.Local;
        var group = bill.Group - note.Group;
        // One line when local and group move the same way; two when they do not (each signed on its own).
        if (Math.Sign(local) * Math.Sign(group) >= 0)
            AddDifference(lines, local != 0 ? local : group, local, group, fxGainAccount, fxLossAccount);
        else
        {
            AddDifference(lines, local, local, 0, fxGainAccount, fxLossAccount);
            AddDifference(lines, group, 0, group, fxGainAccount, fxLossAccount);
        }
        return lines;
    }

    /// <summary>
    /// The credit note's side of a clearing: its own share of its open item when the pair is in a foreign currency
    /// (not the entity's local one), so a difference in booked rates is realised; otherwise the bill's share, as both
    /// sides of a local-currency pair were booked alike.
    /// </summary>
    public static ClearedShare NoteShare(OpenItem note, long amount, ClearingCurrencies currencies, ClearedShare billShare) =>
        currencies.Document != currencies.Local && amount <= note.Amount - note.Cleared ? Share(note, amount, currencies) : billShare;

    /// <summary>Whether the two sides were booked at different local or group amounts (a gain or loss is due).</summary>
    public static bool HasDifference(ClearedShare bill, ClearedShare note) => bill != note;

    static void AddDifference(List<PostingLine> lines, long sign, long local, long group, Guid gainAccount, Guid lossAccount)
    {
        if (local == 0 && group == 0) return;
        var gain = sign > 0;
        lines.Add(new PostingLine(gain ? gainAccount : lossAccount, gain ? DcSign.Credit : DcSign.Debit, 0,
            gain ? "Realised exchange rate gain" : "Realised exchange rate loss", LocalAmount: Math.Abs(local), GroupAmount: Math.Abs(group)));
    }
}
