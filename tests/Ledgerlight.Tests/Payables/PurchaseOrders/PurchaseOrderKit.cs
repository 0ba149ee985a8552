using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;

namespace Ledgerlight.Tests.Payables.PurchaseOrders;

/// <summary>Small helpers the purchase order tests share: a vendor, tax codes, an order in a given state.</summary>
public sealed class PurchaseOrderKit(ApiClient client)
{
    public async Task<string> Vendor(string name = "PO Vendor", string? email = "orders@vendor.example") =>
        (await client.PostAsync("/v1/vendors", new { name, email })).AssertOk()["vendorId"]!.GetValue<string>();

    public async Task<string> TaxCode(string code) =>
        (await client.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(t => t!["code"]!.GetValue<string>() == code)!["id"]!.GetValue<string>();

    public async Task<JsonNode> Create(object body) => (await client.PostAsync("/v1/purchase-orders", body)).AssertOk();

    /// <summary>A draft with one line of 10 × 1,000 and a vendor.</summary>
    public async Task<JsonNode> Draft() => await Create(new { vendorId = await Vendor(), lines = new[] { new { quantity = 10, unitPrice = 1_000 } } });

    public async Task<JsonNode> InState(string state)
    {
        var po = await Draft();
        var id = po["id"]!.GetValue<string>();
        switch (state)
        {
            case "IN_DRAFT": return po;
            case "OPEN": return (await client.PostAsync($"/v1/purchase-orders/{id}/lock")).AssertOk();
            case "CLOSED":
                (await client.PostAsync($"/v1/purchase-orders/{id}/lock")).AssertOk();
                return (await client.PostAsync($"/v1/purchase-orders/{id}/close")).AssertOk();
            case "CANCELLED": return (await client.PostAsync($"/v1/purchase-orders/{id}/cancel")).AssertOk();
            default: throw new ArgumentException(state);
        }
    }

    public Task<ApiResponse> Patch(string path, object body) => client.SendAsync(HttpMethod.Patch, path, body);
    public Task<ApiResponse> Delete(string path) => client.SendAsync(HttpMethod.Delete, path);
    public async Task<JsonNode> Get(string id) => (await client.GetAsync($"/v1/purchase-orders/{id}")).AssertOk();
}
