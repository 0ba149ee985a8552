using Ledgerlight.Ledger;
using Ledgerlight.Receivables.SalesDocuments;
using Xunit;

namespace Ledgerlight.Tests.Receivables.SalesDocuments;

/// <summary>The clearing of a customer credit against an invoice, without a database.</summary>
public class CreditClearingTests
{
    static readonly Guid Ar = Guid.NewGuid(), Gain = Guid.NewGuid(), Loss = Guid.NewGuid();

    static (long Debit, long Credit) Local(IEnumerable<PostingLine> lines) =>
        (lines.Where(l => l.DcSign == DcSign.Debit).Sum(l => l.LocalAmount!.Value), lines.Where(l => l.DcSign == DcSign.Credit).Sum(l => l.LocalAmount!.Value));

    static (long Debit, long Credit) Group(IEnumerable<PostingLine> lines) =>
        (lines.Where(l => l.DcSign == DcSign.Debit).Sum(l => l.GroupAmount!.Value), lines.Where(l => l.DcSign == DcSign.Credit).Sum(l => l.GroupAmount!.Value));

    [Fact]
    public void In_the_entitys_currency_or_at_equal_values_it_is_dr_ar_cr_ar()
    {
        foreach (var booked in new LocalAndGroup<long>?[] { null, new(900, 900) })
        {
            var lines = CreditClearing.Lines(Ar, 1_000, "Applied", booked, booked, Gain, Loss);
            Assert.Equal(2, lines.Count);
            Assert.All(lines, l => Assert.Equal((Ar, 1_000L), (l.AccountId, l.Amount)));
            Assert.Equal([DcSign.Debit, DcSign.Credit], lines.Select(l => l.DcSign));
        }
    }

    [Fact]
    public void A_credit_booked_higher_than_the_invoice_part_it_clears_balances_with_a_gain()
    {
        var lines = CreditClearing.Lines(Ar, 1_000, "Applied", new(860, 860), new(800, 800), Gain, Loss);
        var fx = Assert.Single(lines, l => l.AccountId == Gain);
        Assert.Equal((DcSign.Credit, 60L, 60L, 0L), (fx.DcSign, fx.LocalAmount!.Value, fx.GroupAmount!.Value, fx.Amount));
        Assert.Equal(Local(lines).Debit, Local(lines).Credit);
        Assert.Equal(Group(lines).Debit, Group(lines).Credit);
    }

    [Fact]
    public void A_credit_booked_lower_balances_with_a_loss_and_opposite_local_and_group_moves_take_a_line_each()
    {
        var loss = CreditClearing.Lines(Ar, 1_000, "Applied", new(780, 780), new(800, 800), Gain, Loss);
        Assert.Equal((DcSign.Debit, 20L), (Assert.Single(loss, l => l.AccountId == Loss).DcSign, loss.Single(l => l.AccountId == Loss).LocalAmount!.Value));

        var mixed = CreditClearing.Lines(Ar, 1_000, "Applied", new(810, 790), new(800, 800), Gain, Loss);
        Assert.Equal(4, mixed.Count);
        Assert.Equal(Local(mixed).Debit, Local(mixed).Credit);
        Assert.Equal(Group(mixed).Debit, Group(mixed).Credit);
    }
}
