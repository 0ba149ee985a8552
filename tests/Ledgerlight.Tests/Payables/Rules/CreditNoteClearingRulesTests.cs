using Ledgerlight.Ledger;
using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.InvoicePayables;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Payables.Rules;

/// <summary>Clearing credit notes against bills, no database.</summary>
public class CreditNoteClearingRulesTests
{
    static readonly Guid Ap = Guid.NewGuid(), Gain = Guid.NewGuid(), Loss = Guid.NewGuid(), Bill = Guid.NewGuid(), Note = Guid.NewGuid();
    static readonly ClearingCurrencies EurInUsd = new("EUR", "USD", "USD");

    [Fact]
    public void An_application_may_take_neither_more_than_the_note_has_nor_more_than_the_bill_owes()
    {
        CreditNoteClearingRules.CheckApplication(300, 300, 500);
        Assert.Equal(400, Assert.Throws<ApiException>(() => CreditNoteClearingRules.CheckApplication(0, 300, 500)).Status);
        Assert.Contains("credit note's available balance of 300",
            Assert.Throws<ApiException>(() => CreditNoteClearingRules.CheckApplication(301, 300, 500)).Message);
        Assert.Contains("invoice payable's open amount of 200",
            Assert.Throws<ApiException>(() => CreditNoteClearingRules.CheckApplication(201, 300, 200)).Message);
    }

    [Fact]
    public void Only_a_live_bill_of_the_same_entity_vendor_and_currency_takes_a_note()
    {
        var entity = Guid.NewGuid();
        var vendor = Guid.NewGuid();
        CreditNoteClearingRules.CheckCompatible(BillState.Unpaid, entity, entity, vendor, vendor, "EUR", "EUR");
        Assert.Equal(409, Assert.Throws<ApiException>(() =>
            CreditNoteClearingRules.CheckCompatible(BillState.Cancelled, entity, entity, vendor, vendor, "EUR", "EUR")).Status);
        Assert.Equal(422, Assert.Throws<ApiException>(() =>
            CreditNoteClearingRules.CheckCompatible(BillState.Unpaid, entity, Guid.NewGuid(), vendor, vendor, "EUR", "EUR")).Status);
        Assert.Equal(422, Assert.Throws<ApiException>(() =>
            CreditNoteClearingRules.CheckCompatible(BillState.Unpaid, entity, entity, null, null, "EUR", "EUR")).Status);
        Assert.Equal(422, Assert.Throws<ApiException>(() =>
            CreditNoteClearingRules.CheckCompatible(BillState.Unpaid, entity, entity, vendor, vendor, "EUR", "USD")).Status);
    }

    [Theory]
    [InlineData(BillState.Unpaid, "POSTED")]
    [InlineData(BillState.PartiallyPaid, "PARTIALLY_CLEARED")]
    [InlineData(BillState.Paid, "CLEARED")]
    [InlineData(BillState.Completed, "CLEARED")]
    [InlineData(BillState.Cancelled, "ARCHIVED")]
    [InlineData(BillState.InDraft, "DRAFT")]
    public void A_bill_reads_as_an_accounting_document_status(string state, string status) =>
        Assert.Equal(status, CreditNoteClearingRules.DocumentStatusOf(state));

    [Fact]
    public void A_share_is_converted_at_the_booked_rate_and_the_last_one_takes_what_is_left()
    {
        // EUR 100.00 booked at 1.1 = USD 110.00; 33.33 already cleared for USD 36.66.
        var item = new OpenItem(10000, 3333, 11000, 11000, 3666, 3666, 1.1m, 1.1m);
        Assert.Equal(new ClearedShare(3666, 3666), CreditNoteClearingRules.Share(item, 3333, EurInUsd)); // 3666.3 cents, rounded
        Assert.Equal(new ClearedShare(7334, 7334), CreditNoteClearingRules.Share(item, 6667, EurInUsd)); // the rest: 11000 - 3666
        Assert.Equal(new ClearedShare(5500, 5500), CreditNoteClearingRules.Share(item with { Cleared = 0, ClearedLocal = 0, ClearedGroup = 0 }, 5000, EurInUsd));
        Assert.Equal(422, Assert.Throws<ApiException>(() => CreditNoteClearingRules.Share(item, 6668, EurInUsd)).Status);
    }

    [Fact]
    public void A_foreign_currency_note_gives_up_its_own_share_and_a_local_one_the_bills()
    {
        var bill = new ClearedShare(4400, 4400);
        var note = new OpenItem(4000, 0, 4800, 4800, 0, 0, 1.2m, 1.2m);
        Assert.Equal(new ClearedShare(4800, 4800), CreditNoteClearingRules.NoteShare(note, 4000, EurInUsd, bill));
        Assert.Equal(new ClearedShare(2400, 2400), CreditNoteClearingRules.NoteShare(note, 2000, EurInUsd, bill));
        Assert.Equal(bill, CreditNoteClearingRules.NoteShare(note, 4000, new ClearingCurrencies("USD", "USD", "USD"), bill));
        // More than the note has left (never after CheckApplication): the bill's share, never an error.
        Assert.Equal(bill, CreditNoteClearingRules.NoteShare(note with { Cleared = 1 }, 4000, EurInUsd, bill));
    }

    [Fact]
    public void Same_rates_clear_payables_against_each_other_with_no_difference()
    {
        var share = new ClearedShare(11000, 11000);
        var lines = CreditNoteClearingRules.Lines(Ap, Bill, Note, 10000, "applied", share, share, Gain, Loss);
        Assert.False(CreditNoteClearingRules.HasDifference(share, share));
        Assert.Equal([(Ap, DcSign.Debit, Bill), (Ap, DcSign.Credit, Note)], lines.Select(l => (l.AccountId, l.DcSign, l.DocumentLineId!.Value)));
    }

    [Fact]
    public void A_bill_booked_below_its_credit_note_is_a_loss_and_above_it_a_gain_and_local_always_balances()
    {
        var bill = new ClearedShare(11000, 11000);
        var note = new ClearedShare(12000, 12000);
        var loss = CreditNoteClearingRules.Lines(Ap, Bill, Note, 10000, "applied", bill, note, Gain, Loss);
        Assert.Equal((Loss, DcSign.Debit, 1000L, 1000L), (loss[2].AccountId, loss[2].DcSign, loss[2].LocalAmount!.Value, loss[2].GroupAmount!.Value));
        Balanced(loss);
        var gain = CreditNoteClearingRules.Lines(Ap, Bill, Note, 10000, "applied", note, bill, Gain, Loss);
        Assert.Equal((Gain, DcSign.Credit), (gain[2].AccountId, gain[2].DcSign));
        Balanced(gain);
    }

    [Fact]
    public void Local_and_group_differences_of_opposite_sign_each_get_their_own_line()
    {
        var lines = CreditNoteClearingRules.Lines(Ap, Bill, Note, 10000, "applied", new(11000, 9000), new(10000, 9500), Gain, Loss);
        Assert.Equal(4, lines.Count);
        Assert.Equal((Gain, 1000L, 0L), (lines[2].AccountId, lines[2].LocalAmount!.Value, lines[2].GroupAmount!.Value));
        Assert.Equal((Loss, 0L, 500L), (lines[3].AccountId, lines[3].LocalAmount!.Value, lines[3].GroupAmount!.Value));
        Balanced(lines);
    }

    static void Balanced(List<PostingLine> lines)
    {
        long Side(string sign, Func<PostingLine, long> amount) => lines.Where(l => l.DcSign == sign).Sum(amount);
        Assert.Equal(Side(DcSign.Debit, l => l.LocalAmount!.Value), Side(DcSign.Credit, l => l.LocalAmount!.Value));
        Assert.Equal(Side(DcSign.Debit, l => l.GroupAmount!.Value), Side(DcSign.Credit, l => l.GroupAmount!.Value));
    }
}
