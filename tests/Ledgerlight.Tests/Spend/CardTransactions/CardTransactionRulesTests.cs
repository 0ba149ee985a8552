using System.Text.Json;
using Ledgerlight.Ledger;
using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Platform;
using Ledgerlight.Spend;
using Ledgerlight.Spend.CardTransactions;
using Xunit;
using S = Ledgerlight.Spend.CardTransactionStates;

namespace Ledgerlight.Tests.Spend.CardTransactions;

/// <summary>The card transaction lifecycle, posting lines and edit rules, no database.</summary>
public class CardTransactionRulesTests
{
    static readonly StateMachineCase[] Cases =
    [
        new(S.Captured, CardTransactionAction.Post, S.Posted), new(S.Refunded, CardTransactionAction.Post, S.Posted),
        new(S.Authorized, CardTransactionAction.Post, null), new(S.Declined, CardTransactionAction.Post, null),
        new(S.Voided, CardTransactionAction.Post, null), new(S.Posted, CardTransactionAction.Post, null),
        new(S.Posted, CardTransactionAction.Reset, S.Posted), new(S.Captured, CardTransactionAction.Reset, null),
        new(S.Captured, CardTransactionAction.Edit, S.Captured), new(S.Authorized, CardTransactionAction.Edit, S.Authorized),
        new(S.Posted, CardTransactionAction.Edit, null), new(S.Declined, CardTransactionAction.Edit, null),
        new(S.Voided, CardTransactionAction.Edit, null),
    ];

    public sealed record StateMachineCase(string From, CardTransactionAction Action, string? To);

    [Fact]
    public void Only_settled_money_posts_only_posted_resets_and_booked_or_dead_transactions_refuse_edits()
    {
        foreach (var c in Cases)
        {
            if (c.To is { } to) Assert.Equal(to, CardTransactionLifecycle.Machine.Next(c.From, c.Action));
            else
            {
                var e = Assert.Throws<ApiException>(() => CardTransactionLifecycle.Machine.Next(c.From, c.Action));
                Assert.Equal(409, e.Status);
                Assert.Contains(c.From, e.Message);
            }
        }
    }

    [Fact]
    public void Reset_returns_to_the_settled_state_of_the_type_and_edit_status_follows_the_state()
    {
        Assert.Equal(S.Captured, CardTransactionLifecycle.ResetState(CardTransactionTypes.Payment));
        Assert.Equal(S.Refunded, CardTransactionLifecycle.ResetState(CardTransactionTypes.Refund));
        Assert.Equal(CardTransactionEditStatus.AllEditsLocked, CardTransactionLifecycle.EditStatusOf(S.Posted));
        Assert.Equal(CardTransactionEditStatus.AllEditsLocked, CardTransactionLifecycle.EditStatusOf(S.Declined));
        Assert.Equal(CardTransactionEditStatus.AllEditsAllowed, CardTransactionLifecycle.EditStatusOf(S.Captured));
    }

    static readonly Guid Card = Guid.NewGuid(), Travel = Guid.NewGuid(), Office = Guid.NewGuid(), Vat = Guid.NewGuid(), VatCode = Guid.NewGuid();

    static List<PostableLine> TwoLines() =>
        [new(Guid.NewGuid(), Travel, 1_000, 200, "hotel", VatCode), new(Guid.NewGuid(), Office, 500, 0, "pens", null)];

    [Fact]
    public void A_payment_debits_expense_and_input_tax_and_credits_the_card_account_with_the_gross()
    {
        var lines = CardTransactionPosting.Lines(CardTransactionTypes.Payment, Card, "Hotel", TwoLines(), new Dictionary<Guid, Guid> { [VatCode] = Vat });
        Assert.Equal(
            new[] { (Travel, DcSign.Debit, 1_000L), (Vat, DcSign.Debit, 200L), (Office, DcSign.Debit, 500L), (Card, DcSign.Credit, 1_700L) },
            lines.Select(l => (l.AccountId, l.DcSign, l.Amount)).ToArray());
        Assert.Equal(new object[] { "lines", 0, "taxAmount" }, lines[1].Path);
        Assert.Equal(lines.Where(l => l.DcSign == DcSign.Debit).Sum(l => l.Amount), lines.Where(l => l.DcSign == DcSign.Credit).Sum(l => l.Amount));
    }

    [Fact]
    public void A_refund_posts_the_mirror()
    {
        var taxes = new Dictionary<Guid, Guid> { [VatCode] = Vat };
        var lines = TwoLines();
        var payment = CardTransactionPosting.Lines(CardTransactionTypes.Payment, Card, "x", lines, taxes);
        var refund = CardTransactionPosting.Lines(CardTransactionTypes.Refund, Card, "x", lines, taxes);
        Assert.Equal(payment.Select(l => (l.AccountId, DcSign.Flip(l.DcSign), l.Amount)).OrderBy(x => x.ToString()),
            refund.Select(l => (l.AccountId, l.DcSign, l.Amount)).OrderBy(x => x.ToString()));
        Assert.Equal((Card, DcSign.Debit), (refund[0].AccountId, refund[0].DcSign));
    }

    static CardTransactionLineRow Line(long amount, Guid? account = null) =>
        new() { Id = Guid.NewGuid(), AccountId = account, Amount = amount, NetAmount = amount, TaxAmount = 0 };

    [Fact]
    public void Posting_needs_accounted_lines_that_add_up_to_the_settled_amount()
    {
        CardTransactionPosting.CheckPostable(1_000, [Line(1_000, Travel)]);
        var e = Assert.Throws<ApiException>(() => CardTransactionPosting.CheckPostable(1_000, [Line(900, Travel), Line(50)]));
        Assert.Equal(422, e.Status);
        Assert.Equal(2, e.Errors!.Count);
        Assert.Throws<ApiException>(() => CardTransactionPosting.CheckPostable(1_000, []));
    }

    static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement;

    static UpdateCardTransactionLineRequest Request(long? amount = null, Guid? taxCodeId = null, Guid? accountId = null) =>
        new(null, accountId, taxCodeId, null, amount, null, null, null, null);

    [Fact]
    public void A_line_edit_splits_the_gross_by_the_rate_keeps_absent_fields_and_keeps_the_lines_adding_up()
    {
        var line = Line(1_100, Travel);
        var v = new Validation();
        var taxed = CardTransactionEdits.Line(line, Body($$"""{"taxCodeId":"{{VatCode}}"}"""), Request(taxCodeId: VatCode), 10m, 1_100, 0, v, []);
        Assert.False(v.HasErrors);
        Assert.Equal((1_100L, 1_000L, 100L, Travel, VatCode), (taxed.Amount, taxed.NetAmount, taxed.TaxAmount, taxed.AccountId!.Value, taxed.TaxCodeId!.Value));

        var cleared = CardTransactionEdits.Line(taxed, Body("""{"accountId":null}"""), Request(), 10m, 1_100, 0, v, []);
        Assert.Null(cleared.AccountId);
        Assert.Equal(VatCode, cleared.TaxCodeId);

        CardTransactionEdits.Line(line, Body("""{"amount":1000}"""), Request(amount: 1_000), 0m, 1_100, 0, v, [2, "lines", 0]);
        Assert.True(v.HasErrors);
        var bad = Assert.Throws<ApiException>(v.ThrowIfAny);
        Assert.Equal(new object[] { 2, "lines", 0, "amount" }, bad.Errors![0].Path);
    }

    [Fact]
    public void A_batch_is_one_to_five_hundred_items_each_naming_its_transaction_once()
    {
        var id = Guid.NewGuid();
        var v = new Validation();
        CardTransactionEdits.CheckBatchShape([new(id, null, null, null, null), new(id, null, [new(null, null, null, null, null)], null, null)], v);
        var e = Assert.Throws<ApiException>(v.ThrowIfAny);
        Assert.Equal(new[] { "1.cardTransactionId", "1.lines.0.lineId" }, e.Errors!.Select(x => string.Join('.', x.Path!)).ToArray());

        v = new Validation();
        CardTransactionEdits.CheckBatchShape(Enumerable.Range(0, 501).Select(_ => new BatchUpdateCardTransactionRequest(Guid.NewGuid(), null, null, null, null)).ToList(), v);
        Assert.True(v.HasErrors);
    }
}
