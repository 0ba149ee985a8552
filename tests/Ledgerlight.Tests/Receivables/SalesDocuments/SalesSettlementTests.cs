using Ledgerlight.Receivables.SalesDocuments;
using Xunit;

namespace Ledgerlight.Tests.Receivables.SalesDocuments;

/// <summary>Booked and clearing-date values of a foreign-currency open item, without a database.</summary>
public class SalesSettlementTests
{
    static readonly LocalAndGroup<string> Eur = new("EUR", "EUR");

    [Fact]
    public void A_part_is_booked_at_the_items_rate_and_the_last_part_takes_what_is_left()
    {
        // USD 1.00 at 0.333: three thirds would round to 33 + 33 + 33 = 99 EUR cents; the last takes 34.
        // USD 100.00 in three parts at 0.3333: 33.33 USD → 11.11 EUR twice; the last 33.34 USD takes 33.33 − 22.22 = 11.11, not 11.11 rounded anew.
        Assert.Equal(1_111, SalesSettlement.Booked(3_333, 10_000, [], "USD", "EUR", 0.3333m));
        Assert.Equal(3_333 - 1_111 - 1_111, SalesSettlement.Booked(3_334, 10_000, [3_333, 3_333], "USD", "EUR", 0.3333m));
        // The parts always add up to the item's booked value.
        var parts = new long[] { 3_333, 3_333, 3_334 };
        var booked = parts.Select((p, i) => SalesSettlement.Booked(p, 10_000, parts[..i], "USD", "EUR", 0.3333m)).Sum();
        Assert.Equal(3_333, booked);
    }

    [Fact]
    public void Clearing_at_the_booked_rate_has_no_difference()
    {
        var same = SalesSettlement.Amounts(50_000, 100_000, [], "USD", Eur, new(0.9m, 0.9m), new(0.9m, 0.9m));
        Assert.False(same.HasDifference);
        Assert.Equal(45_000, same.BookedLocal);
    }

    [Fact]
    public void Clearing_at_another_rate_values_the_part_at_both()
    {
        var moved = SalesSettlement.Amounts(100_000, 100_000, [], "USD", Eur, new(0.8m, 0.8m), new(0.86m, 0.86m));
        Assert.True(moved.HasDifference);
        Assert.Equal((80_000L, 86_000L, 80_000L, 86_000L), (moved.BookedLocal, moved.PaidLocal, moved.BookedGroup, moved.PaidGroup));
    }
}
