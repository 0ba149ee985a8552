using Ledgerlight.Spend;
using Ledgerlight.Spend.CardTransactions;
using Xunit;

namespace Ledgerlight.Tests.Spend.CardTransactions;

/// <summary>A refund coded like its payment, without a database.</summary>
public sealed class RefundMirrorTests
{
    static readonly Guid Travel = Guid.NewGuid(), Meals = Guid.NewGuid(), Vat = Guid.NewGuid();

    static CardTransactionLineRow Line(Guid account, long amount, long tax, Guid? taxCode = null) => new()
    {
        Id = Guid.NewGuid(), AccountId = account, Amount = amount, NetAmount = amount - tax, TaxAmount = tax, TaxCodeId = taxCode,
    };

    [Fact]
    public void A_full_refund_copies_every_line_with_its_account_tax_code_and_amounts()
    {
        var payment = new[] { Line(Travel, 12000, 2000, Vat), Line(Meals, 3000, 0) };
        var mirrored = CardTransactionPosting.MirrorCoding(15000, payment);
        Assert.Equal(2, mirrored.Count);
        Assert.Equal(new CardTransactionPosting.MirroredLine(Travel, Vat, null, 12000, 10000, 2000, null), mirrored[0]);
        Assert.Equal(new CardTransactionPosting.MirroredLine(Meals, null, null, 3000, 3000, 0, null), mirrored[1]);
    }

    [Fact]
    public void A_partial_refund_is_shared_in_proportion_and_adds_up_to_the_refund_exactly()
    {
        var payment = new[] { Line(Travel, 10000, 1667, Vat), Line(Meals, 5000, 0), Line(Travel, 5000, 0) };
        var mirrored = CardTransactionPosting.MirrorCoding(3333, payment);
        Assert.Equal(3333, mirrored.Sum(m => m.Amount));
        Assert.Equal([1667L, 833L, 833L], mirrored.Select(m => m.Amount));
        Assert.Equal(278, mirrored[0].TaxAmount); // 1667 × 1667 / 10000 = 277.9 → 278
        Assert.All(mirrored, m => Assert.Equal(m.Amount, m.NetAmount + m.TaxAmount));
    }

    [Fact]
    public void Nothing_to_copy_from_a_payment_without_lines()
    {
        Assert.Empty(CardTransactionPosting.MirrorCoding(100, []));
    }
}
