namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>
/// After a billing change: whether billing now exceeds what was ordered (the order's totalAmount,
/// and for a line-level change also the line's amount), with the figures behind it.
/// </summary>
public sealed record PurchaseOrderBillingResult(bool OverBilled, long OrderedAmount, long BilledAmount, long? LineOrderedAmount, long? LineBilledAmount);

/// <summary>
/// The link bills use to match against purchase orders (internal C# API, no HTTP). Runs inside the
/// caller's transaction and takes the order's row lock, so concurrent bills add up correctly.
/// Amounts are gross, in minor units of the order's currency, compared with the order's (and the
/// line's) gross amount. Over-billing is reported, never refused. The order's billed amount is the
/// total matched against it, line-level matches included; a line's billed amount only what was
/// matched to that line.
/// </summary>
public static class PurchaseOrderBilling
{
    /// <summary>
    /// Adds <paramref name="amount"/> to the order's (and, with <paramref name="lineId"/>, the line's) billed amount.
    /// 404 when the order or line is not the company's; 409 unless the order is OPEN.
    /// </summary>
    public static async Task<PurchaseOrderBillingResult> RecordBilledAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        Guid purchaseOrderId, long amount, Guid? lineId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var order = await PurchaseOrderQueries.Table.LockAsync(conn, tx, companyId, purchaseOrderId) ?? throw ApiException.NotFound("Purchase order");
        PurchaseOrderLifecycle.Ensure(order.State, PurchaseOrderAction.Bill);
        return await ApplyAsync(conn, tx, companyId, order, amount, lineId);
    }

    /// <summary>Closes the order a bill has just been matched to (it is OPEN and locked by <see cref="RecordBilledAsync"/>).</summary>
    public static async Task CloseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid purchaseOrderId, DateTime now)
    {
        var order = await PurchaseOrderQueries.Table.LockAsync(conn, tx, companyId, purchaseOrderId) ?? throw ApiException.NotFound("Purchase order");
        var next = PurchaseOrderLifecycle.Next(order.State, PurchaseOrderAction.Close);
        await conn.ExecuteAsync(
            $"UPDATE purchase_orders SET state = @next, {PurchaseOrderLifecycle.Timestamps(PurchaseOrderAction.Close)}, updated_at = @now WHERE company_id = @companyId AND id = @purchaseOrderId",
            new { companyId, purchaseOrderId, next, now }, tx);
    }

    /// <summary>
    /// Takes back <paramref name="amount"/> billed earlier (a bill cancelled, reset or re-matched), in any state of the order.
    /// 409 when more would be released than is billed.
    /// </summary>
    public static async Task<PurchaseOrderBillingResult> ReleaseBilledAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        Guid purchaseOrderId, long amount, Guid? lineId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var order = await PurchaseOrderQueries.Table.LockAsync(conn, tx, companyId, purchaseOrderId) ?? throw ApiException.NotFound("Purchase order");
        return await ApplyAsync(conn, tx, companyId, order, -amount, lineId);
    }

    static async Task<PurchaseOrderBillingResult> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, PurchaseOrderRow order,
        long delta, Guid? lineId)
    {
        OrderedAndBilled? lineAfter = null;
        if (lineId is { } line)
        {
            var current = (await conn.QueryAsync<(long Amount, long Billed)>(
                "SELECT amount, billed_amount FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @orderId AND id = @line",
                new { companyId, orderId = order.Id, line }, tx)).ToList();
            if (current.Count == 0) throw ApiException.NotFound("Purchase order line");
            var lineBilled = PurchaseOrderConsumption.Billed(new(current[0].Amount, current[0].Billed), delta, "purchase order line",
                $"purchase order line {line}");
            lineAfter = new OrderedAndBilled(current[0].Amount, lineBilled);
            await conn.ExecuteAsync("UPDATE purchase_order_lines SET billed_amount = @lineBilled WHERE company_id = @companyId AND id = @line",
                new { companyId, line, lineBilled }, tx);
        }
        var billed = PurchaseOrderConsumption.Billed(new(order.TotalAmount, order.BilledAmount), delta, "purchase order", $"purchase order {order.Id}");
        await conn.ExecuteAsync("UPDATE purchase_orders SET billed_amount = @billed, updated_at = now() WHERE company_id = @companyId AND id = @id",
            new { companyId, id = order.Id, billed }, tx);
        return PurchaseOrderConsumption.Result(new(order.TotalAmount, billed), lineAfter);
    }
}
