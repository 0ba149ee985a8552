using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables;

/// <summary>Every payable document and line stores its custom properties and answers with them.</summary>
public class PayableCustomPropertyTests(ApiServer server) : IClassFixture<ApiServer>
{
    /// <summary>A single-select group for <paramref name="objectType"/> with two values (first, second).</summary>
    async Task<(string Group, string First, string Second)> Group(string objectType)
    {
        var group = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"cp_{Guid.NewGuid():N}", label = "Project", inputType = "SINGLE_SELECT", objectTypes = new[] { objectType },
        })).AssertOk()["id"]!.GetValue<string>();
        async Task<string> Value(string name) =>
            (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = name, label = name })).AssertOk()["id"]!.GetValue<string>();
        return (group, await Value("alpha"), await Value("beta"));
    }

    static object[] Props(string group, string value) => [new { groupId = group, valueIds = new[] { value } }];

    static string Label(JsonNode? node) => node!["customProperties"]![0]!["values"]![0]!["label"]!.GetValue<string>();

    [Fact]
    public async Task Bill_lines_keep_custom_properties_on_create_add_and_replace()
    {
        var (group, alpha, beta) = await Group("BILL");
        var vendor = await BillKit.Vendor(server.Admin, "CP Bill Vendor");
        var bill = await BillKit.Bill(server.Admin, new
        {
            vendorId = vendor, currency = "USD", invoiceNumber = $"CPL-{Guid.NewGuid():N}",
            lineItems = new[] { new { netAmount = 1000, customProperties = Props(group, alpha) } },
        });
        Assert.Equal("alpha", Label(bill["lineItems"]![0]));
        var id = BillKit.Id(bill);
        var added = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/line-items", new { netAmount = 500, customProperties = Props(group, beta) })).AssertOk();
        Assert.Equal("beta", Label(added));
        var lineId = added["id"]!.GetValue<string>();
        Assert.Equal("beta", Label((await server.Admin.GetAsync($"/v1/invoice-payables/{id}/line-items/{lineId}")).AssertOk()));
        var replaced = (await server.Admin.PutAsync($"/v1/invoice-payables/{id}/line-items/{lineId}", new { netAmount = 500, customProperties = Props(group, alpha) })).AssertOk();
        Assert.Equal("alpha", Label(replaced));
        var fetched = (await server.Admin.GetAsync($"/v1/invoice-payables/{id}")).AssertOk();
        Assert.Equal(["alpha", "alpha"], fetched["lineItems"]!.AsArray().Select(Label));
        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/line-items", new { netAmount = 1, customProperties = Props(group, Guid.NewGuid().ToString()) }))
            .AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Credit_notes_and_their_lines_keep_custom_properties()
    {
        var (group, alpha, beta) = await Group("CREDIT_NOTE");
        var vendor = await BillKit.Vendor(server.Admin, "CP Note Vendor");
        var note = (await server.Admin.PostAsync("/v1/credit-notes", new
        {
            businessPartnerId = vendor, currency = "USD", customProperties = Props(group, alpha),
            lines = new[] { new { netTransactionAmount = new { amount = 700, dcSign = "C" }, customProperties = Props(group, beta) } },
        })).AssertOk();
        Assert.Equal("alpha", Label(note));
        Assert.Equal("beta", Label(note["lines"]![0]));
        var id = note["id"]!.GetValue<string>();
        var line = (await server.Admin.PostAsync($"/v1/credit-notes/{id}/lines",
            new { netTransactionAmount = new { amount = 300, dcSign = "C" }, customProperties = Props(group, alpha) })).AssertOk();
        Assert.Equal("alpha", Label(line));
        // A PATCH that leaves customProperties out keeps them; one that sends them replaces them.
        var kept = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{id}/lines/{line["id"]!.GetValue<string>()}", new { description = "d" })).AssertOk();
        Assert.Equal("alpha", Label(kept));
        var header = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{id}", new { customProperties = Props(group, beta) })).AssertOk();
        Assert.Equal("beta", Label(header));
        var fetched = (await server.Admin.GetAsync($"/v1/credit-notes/{id}")).AssertOk();
        Assert.Equal("beta", Label(fetched));
        Assert.Equal(["beta", "alpha"], fetched["lines"]!.AsArray().Select(Label));
        var listed = (await server.Admin.GetAsync("/v1/credit-notes?limit=200")).AssertOk()["records"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == id);
        Assert.Equal("beta", Label(listed));
    }

    [Fact]
    public async Task Purchase_orders_and_their_lines_keep_custom_properties()
    {
        var (group, alpha, beta) = await Group("PURCHASE_ORDER");
        var order = (await server.Admin.PostAsync("/v1/purchase-orders", new
        {
            customProperties = Props(group, alpha),
            lines = new[] { new { quantity = 2, unitPrice = 1000, customProperties = Props(group, beta) } },
        })).AssertOk();
        Assert.Equal("alpha", Label(order));
        Assert.Equal("beta", Label(order["lines"]![0]));
        var id = order["id"]!.GetValue<string>();
        var added = (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines", new { quantity = 1, unitPrice = 5, customProperties = Props(group, alpha) })).AssertOk();
        Assert.Equal("alpha", Label(added));
        var lineId = added["id"]!.GetValue<string>();
        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/purchase-orders/{id}/lines/{lineId}", new { quantity = 3 })).AssertOk();
        Assert.Equal("alpha", Label(patched));
        patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/purchase-orders/{id}/lines/{lineId}", new { customProperties = Props(group, beta) })).AssertOk();
        Assert.Equal("beta", Label(patched));
        var header = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/purchase-orders/{id}", new { customProperties = Props(group, beta) })).AssertOk();
        Assert.Equal("beta", Label(header));
        var fetched = (await server.Admin.GetAsync($"/v1/purchase-orders/{id}")).AssertOk();
        Assert.Equal("beta", Label(fetched));
        Assert.Equal(["beta", "beta"], fetched["lines"]!.AsArray().Select(Label));
        var cleared = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/purchase-orders/{id}", new { customProperties = (object?)null })).AssertOk();
        Assert.Empty(cleared["customProperties"]!.AsArray());
    }
}
