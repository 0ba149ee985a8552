using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Payables.Rules;

/// <summary>Bills consuming purchase orders, no database.</summary>
public class PurchaseOrderConsumptionTests
{
    [Fact]
    public void Billing_adds_up_and_beyond_the_order_is_reported_not_refused()
    {
        Assert.Equal(700, PurchaseOrderConsumption.Billed(new(1000, 200), 500, "purchase order", "purchase order 1"));
        var within = PurchaseOrderConsumption.Result(new(1000, 700), null);
        Assert.False(within.OverBilled);
        Assert.Equal((1000L, 700L, (long?)null, (long?)null), (within.OrderedAmount, within.BilledAmount, within.LineOrderedAmount, within.LineBilledAmount));
        Assert.True(PurchaseOrderConsumption.Result(new(1000, 1001), null).OverBilled);
    }

    [Fact]
    public void A_line_billed_beyond_its_amount_over_bills_even_within_the_order()
    {
        var result = PurchaseOrderConsumption.Result(new(1000, 600), new(500, 600));
        Assert.True(result.OverBilled);
        Assert.Equal((500L, 600L), (result.LineOrderedAmount!.Value, result.LineBilledAmount!.Value));
        Assert.False(PurchaseOrderConsumption.Result(new(1000, 600), new(600, 600)).OverBilled);
    }

    [Fact]
    public void Releasing_more_than_was_billed_is_a_conflict_naming_what()
    {
        Assert.Equal(0, PurchaseOrderConsumption.Billed(new(1000, 300), -300, "purchase order", "purchase order 1"));
        var refused = Assert.Throws<ApiException>(() => PurchaseOrderConsumption.Billed(new(1000, 300), -301, "purchase order line", "purchase order line 9"));
        Assert.Equal(409, refused.Status);
        Assert.Equal("Cannot release 301: only 300 is billed on purchase order line 9", refused.Message);
    }

    [Fact]
    public void A_billed_amount_beyond_int64_is_refused_not_wrapped()
    {
        var refused = Assert.Throws<ApiException>(() => PurchaseOrderConsumption.Billed(new(1000, long.MaxValue), 1, "purchase order", "x"));
        Assert.Equal(422, refused.Status);
    }
}
