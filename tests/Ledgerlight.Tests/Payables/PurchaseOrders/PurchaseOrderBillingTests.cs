using System.Text.Json.Nodes;
using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables.PurchaseOrders;

/// <summary>The internal billing API bills will call, exercised directly against the test database.</summary>
public class PurchaseOrderBillingTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly PurchaseOrderKit _kit = new(server.Admin);
    Guid CompanyId => server.Company.CompanyId;

    /// <summary>An OPEN order with lines of 600 and 400 (gross 1,000).</summary>
    async Task<(Guid Id, Guid LineA, Guid LineB)> OpenOrder()
    {
        var po = await _kit.Create(new { vendorId = await _kit.Vendor(), lines = new[] { new { quantity = 6, unitPrice = 100 }, new { quantity = 4, unitPrice = 100 } } });
        var id = po["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lock")).AssertOk();
        return (Guid.Parse(id), Guid.Parse(po["lines"]![0]!["id"]!.GetValue<string>()), Guid.Parse(po["lines"]![1]!["id"]!.GetValue<string>()));
    }

    async Task<PurchaseOrderBillingResult> InTx(Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, Task<PurchaseOrderBillingResult>> action, bool commit = true)
    {
        await using var conn = await server.Db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var result = await action(conn, tx);
        if (commit) await tx.CommitAsync();
        else await tx.RollbackAsync();
        return result;
    }

    async Task<(long Order, long LineA)> Billed(Guid id, Guid line)
    {
        await using var cmd = server.Db.CreateCommand(
            "SELECT p.billed_amount, l.billed_amount FROM purchase_orders p JOIN purchase_order_lines l ON l.company_id = p.company_id " +
            "AND l.purchase_order_id = p.id WHERE p.company_id = $1 AND p.id = $2 AND l.id = $3");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = CompanyId });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = line });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task Billing_adds_up_and_flags_over_billing_without_refusing()
    {
        var (id, lineA, _) = await OpenOrder();
        var r = await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 700));
        Assert.False(r.OverBilled);
        Assert.Equal((1_000L, 700L), (r.OrderedAmount, r.BilledAmount));

        r = await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 300));
        Assert.False(r.OverBilled); // exactly the ordered amount is not over
        r = await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 1));
        Assert.True(r.OverBilled);
        Assert.Equal(1_001, r.BilledAmount);

        r = await InTx((c, t) => PurchaseOrderBilling.ReleaseBilledAsync(c, t, CompanyId, id, 1));
        Assert.False(r.OverBilled);
        Assert.Equal((1_000L, 0L), await Billed(id, lineA));

        var listed = (await server.Admin.GetAsync($"/v1/purchase-orders?filter=purchaseOrderId:eq:{id}")).AssertOk()["records"]![0]!;
        Assert.Equal(1_000, listed["totalMatchedAmount"]!.GetValue<long>());
        Assert.Equal(1_000, listed["totalAmount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Line_billing_is_flagged_against_the_line()
    {
        var (id, lineA, lineB) = await OpenOrder();
        var r = await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 650, lineA));
        Assert.True(r.OverBilled); // line A ordered 600, the order 1,000 is not exceeded
        Assert.Equal((600L, 650L), (r.LineOrderedAmount!.Value, r.LineBilledAmount!.Value));
        Assert.Equal(650, r.BilledAmount);
        r = await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 100, lineB));
        Assert.False(r.OverBilled);
        Assert.Equal(750, r.BilledAmount);
        Assert.Equal((750L, 650L), await Billed(id, lineA));

        // Releasing more than a line carries is refused and changes nothing.
        var ex = await Assert.ThrowsAsync<ApiException>(() => InTx((c, t) => PurchaseOrderBilling.ReleaseBilledAsync(c, t, CompanyId, id, 101, lineB)));
        Assert.Equal(409, ex.Status);
        Assert.Equal((750L, 650L), await Billed(id, lineA));

        // A line bills have matched cannot be deleted once the order is back in draft.
        (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/reset")).AssertOk();
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/purchase-orders/{id}/lines/{lineA}")).AssertError(409, "CONFLICT");
    }

    [Fact]
    public async Task Billing_follows_the_callers_transaction_and_the_orders_state()
    {
        var (id, lineA, _) = await OpenOrder();
        await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 500), commit: false);
        Assert.Equal((0L, 0L), await Billed(id, lineA));

        var draft = await _kit.Draft();
        var draftId = Guid.Parse(draft["id"]!.GetValue<string>());
        var ex = await Assert.ThrowsAsync<ApiException>(() => InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, draftId, 1)));
        Assert.Equal(409, ex.Status);
        Assert.Contains("IN_DRAFT", ex.Message);

        var other = await server.CreateTenantAsync("Billing Other", "USD");
        ex = await Assert.ThrowsAsync<ApiException>(() => InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, other.CompanyId, id, 1)));
        Assert.Equal(404, ex.Status);
        ex = await Assert.ThrowsAsync<ApiException>(() => InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 1, Guid.NewGuid())));
        Assert.Equal(404, ex.Status);

        // An order bills have matched is closed, not cancelled.
        await InTx((c, t) => PurchaseOrderBilling.RecordBilledAsync(c, t, CompanyId, id, 10));
        var cancel = (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/cancel")).AssertError(409, "CONFLICT");
        Assert.Contains("OPEN", cancel["message"]!.GetValue<string>());
        (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/close")).AssertOk();
        var released = await InTx((c, t) => PurchaseOrderBilling.ReleaseBilledAsync(c, t, CompanyId, id, 10));
        Assert.Equal(0, released.BilledAmount);
    }
}

public class PurchaseOrderRulesTests
{
    [Theory]
    [InlineData("1.5", 333, null, 500, 0)]       // 499.5 rounds away from zero
    [InlineData("0.5", 1, null, 1, 0)]
    [InlineData("0.4999", 1, null, 0, 0)]
    [InlineData("3", 1001, "10", 3003, 300)]     // 300.3 → 300
    [InlineData("1", 10, "5", 10, 1)]            // 0.5 → 1
    [InlineData("1", 9, "5", 9, 0)]              // 0.45 → 0
    [InlineData("0.000001", 1000000, "20", 1, 0)]
    public void Line_amounts_round_once_per_line(string quantity, long unitPrice, string? rate, long net, long tax)
    {
        var amounts = PurchaseOrderRules.Amounts(decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), unitPrice,
            rate is null ? null : decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Equal((net, tax, net + tax), (amounts.Net, amounts.Tax, amounts.Gross));
    }

    [Fact]
    public void Overflowing_line_is_refused_not_wrapped() =>
        Assert.Null(PurchaseOrderRules.Amounts(1_000_000_000m, long.MaxValue / 100, 20m));

    [Fact]
    public void Quantity_limits()
    {
        var v = new Validation();
        PurchaseOrderRules.ValidateQuantity(v, 0.0000001m, "q");
        Assert.True(v.HasErrors);
        v = new Validation();
        PurchaseOrderRules.ValidateQuantity(v, 0.000001m, "q");
        Assert.False(v.HasErrors);
        Assert.Equal("2", PurchaseOrderRules.Normalize(2.000000m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
