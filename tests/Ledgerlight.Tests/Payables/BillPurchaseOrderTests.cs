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

    [Fact]
    public async Task A_bill_submitted_with_closePurchaseOrder_closes_its_order_when_it_posts()
    {
        var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "Closing PO Vendor" })).AssertOk()["vendorId"]!.GetValue<string>();
        var orderId = (await server.Admin.PostAsync("/v1/purchase-orders", new
        {
            vendorId = vendor, description = "Desks", lines = new[] { new { quantity = 2m, unitPrice = 5_000, description = "desk" } },
        })).AssertOk()["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/purchase-orders/{orderId}/lock")).AssertOk();
        async Task<string> OrderState() => (await server.Admin.GetAsync($"/v1/purchase-orders/{orderId}")).AssertOk()["state"]!.GetValue<string>();

        var bill = (await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD", invoiceNumber = $"PO-{Guid.NewGuid():N}", issuedDate = "2026-06-01",
            lineItems = new[] { new { netAmount = 4_000 } },
        })).AssertOk()["id"]!.GetValue<string>();
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{bill}", new { purchaseOrderId = orderId })).AssertOk();
        (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/submit-for-approval", new { closePurchaseOrder = true })).AssertOk();
        Assert.Equal("OPEN", await OrderState()); // not before the approvers have decided

        Assert.Equal("UNPAID", (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/approve")).AssertOk()["state"]!.GetValue<string>());
        Assert.Equal("CLOSED", await OrderState());
    }
}
