namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>What was ordered and what bills have matched so far, for an order or one of its lines (gross, minor units).</summary>
public sealed record OrderedAndBilled(long Ordered, long Billed);

/// <summary>
/// Bills consuming purchase orders, no database. A bill adds its gross amount to what the order (and, when
/// matched to a line, the line) has billed; cancelling or re-matching takes it back. Billing beyond what was
/// ordered is reported (over-billed), never refused; taking back more than was billed is a 409.
/// </summary>
public static class PurchaseOrderConsumption
{
    /// <summary>The billed amount after <paramref name="delta"/> (negative: released); 409 below zero, 422 beyond the amount bounds.</summary>
    public static long Billed(OrderedAndBilled current, long delta, string what, string whose)
    {
        var billed = Limits.Add(current.Billed, delta, $"The {what}'s billed amount", "purchaseOrderId");
        if (billed < 0) throw ApiException.Conflict($"Cannot release {-delta}: only {current.Billed} is billed on {whose}");
        return billed;
    }

    /// <summary>The outcome: over-billed when the order's, or the matched line's, billed amount exceeds what was ordered.</summary>
    public static PurchaseOrderBillingResult Result(OrderedAndBilled order, OrderedAndBilled? line) =>
        new(order.Billed > order.Ordered || (line is { } l && l.Billed > l.Ordered), order.Ordered, order.Billed, line?.Ordered, line?.Billed);
}
