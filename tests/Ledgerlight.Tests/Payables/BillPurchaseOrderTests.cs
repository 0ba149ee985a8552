using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables;

public class BillPurchaseOrderTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Posted_bills_consume_their_purchase_order_and_over_billing_is_flagged()
    {
        var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "PO Vendor" })).AssertOk()["vendorId"]!.GetValue<string>();
        var order = (await server.Admin.PostAsync("/v1/purchase-orders", new
        {
            vendorId = vendor, description = "Chairs", lines = new[] { new { quantity = 10m, unitPrice = 1_000, description = "chair" } },
        })).AssertOk();
        var orderId = order["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/purchase-orders/{orderId}/lock")).AssertOk();

        async Task<long> Matched() => (await server.Admin.GetAsync($"/v1/purchase-orders?filter=purchaseOrderId:eq:{orderId}")).AssertOk()["records"]![0]!["totalMatchedAmount"]!.GetValue<long>();
        async Task<string> PostBill(long net)
        {
            var bill = (await server.Admin.PostAsync("/v1/invoice-payables", new
            {
                vendorId = vendor, currency = "USD", invoiceNumber = $"PO-{Guid.NewGuid():N}", issuedDate = "2026-06-01",
                lineItems = new[] { new { netAmount = net } },
            })).AssertOk()["id"]!.GetValue<string>();
            // Light's create model has no purchaseOrderId; the bill is matched to the order by PATCH.
            (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{bill}", new { purchaseOrderId = orderId })).AssertOk();
            return (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/post")).AssertOk()["id"]!.GetValue<string>();
        }

        var first = await PostBill(6_000);
        Assert.Equal(6_000, await Matched());
        Assert.Null((await server.Admin.GetAsync($"/v1/invoice-payables/{first}")).AssertOk()["failureContext"]);

        var second = await PostBill(5_000); // 11,000 billed against 10,000 ordered
        Assert.Equal(11_000, await Matched());
        Assert.Equal("PURCHASE_ORDER_EXCEEDED", (await server.Admin.GetAsync($"/v1/invoice-payables/{second}")).AssertOk()["failureContext"]!["errors"]![0]!["type"]!.GetValue<string>());

        (await server.Admin.PostAsync($"/v1/invoice-payables/{second}/cancel", new { })).AssertOk();
        Assert.Equal(6_000, await Matched());

        var stray = (await server.Admin.PostAsync("/v1/invoice-payables", new { vendorId = vendor, currency = "USD" })).AssertOk()["id"]!.GetValue<string>();
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{stray}", new { purchaseOrderId = Guid.NewGuid() })).AssertError(400, "BAD_REQUEST");
    }
}
