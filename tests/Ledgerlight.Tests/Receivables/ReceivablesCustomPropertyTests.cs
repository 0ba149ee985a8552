using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Receivables;

public class ReceivablesCustomPropertyTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<(string Group, string Value)> Group(string objectType)
    {
        var group = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"segment_{objectType.ToLowerInvariant()}_{Guid.NewGuid():N}", label = "Segment", inputType = "SINGLE_SELECT",
            objectTypes = new[] { objectType },
        })).AssertOk()["id"]!.GetValue<string>();
        var value = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "enterprise", label = "Enterprise" }))
            .AssertOk()["id"]!.GetValue<string>();
        return (group, value);
    }

    [Fact]
    public async Task Customers_store_and_return_custom_properties()
    {
        var (group, value) = await Group("CUSTOMER");
        var created = (await server.Admin.PostAsync("/v1/customers", new
        {
            name = "Segmented Ltd", customProperties = new[] { new { groupId = group, valueIds = new[] { value } } },
        })).AssertOk();
        var property = created["customProperties"]![0]!;
        Assert.Equal(group, property["groupId"]!.GetValue<string>());
        Assert.Equal("Enterprise", property["values"]![0]!["label"]!.GetValue<string>());

        var listed = (await server.Admin.GetAsync($"/v1/customers?filter=id:eq:{created["id"]}")).AssertOk();
        Assert.Equal(value, listed["records"]![0]!["customProperties"]![0]!["values"]![0]!["id"]!.GetValue<string>());

        var cleared = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customers/{created["id"]}", new { customProperties = Array.Empty<object>() })).AssertOk();
        Assert.Empty(cleared["customProperties"]!.AsArray());

        var wrong = (await server.Admin.PostAsync("/v1/customers", new
        {
            name = "Wrong value", customProperties = new[] { new { groupId = group, valueIds = new[] { Guid.NewGuid() } } },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("customProperties", wrong["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Products_store_and_return_custom_properties_and_refuse_groups_of_other_objects()
    {
        var (group, value) = await Group("PRODUCT");
        var created = (await server.Admin.PostAsync("/v1/products", new
        {
            name = "Segmented plan", customProperties = new[] { new { groupId = group, valueIds = new[] { value } } },
        })).AssertOk();
        Assert.Equal("Enterprise", created["customProperties"]![0]!["values"]![0]!["label"]!.GetValue<string>());
        var fetched = (await server.Admin.GetAsync($"/v1/products/{created["id"]}")).AssertOk();
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());

        var (customerGroup, customerValue) = await Group("CUSTOMER");
        (await server.Admin.PostAsync("/v1/products", new
        {
            name = "Misfiled", customProperties = new[] { new { groupId = customerGroup, valueIds = new[] { customerValue } } },
        })).AssertError(400, "BAD_REQUEST");
    }
}

/// <summary>Sales invoices, customer credits and contracts store the custom properties of the document and of each line.</summary>
public class ReceivableDocumentCustomPropertyTests(ApiServer server) : IClassFixture<ApiServer>
{
    sealed record Setup(ApiClient Api, string Customer, string Product, string Group, string Value);

    async Task<Setup> SetupAsync(string objectType)
    {
        var tenant = await server.CreateTenantAsync($"Props {objectType}", "USD");
        var api = tenant.Admin;
        var customer = (await api.PostAsync("/v1/customers", new { name = "Props customer", email = "p@customer.example" })).AssertOk()["id"]!.GetValue<string>();
        var product = (await api.PostAsync("/v1/products", new { name = "Props product", pricings = new[] { new { currency = "USD", amount = 1_000 } } }))
            .AssertOk()["id"]!.GetValue<string>();
        var group = (await api.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"region_{Guid.NewGuid():N}", label = "Region", inputType = "SINGLE_SELECT", objectTypes = new[] { objectType },
        })).AssertOk()["id"]!.GetValue<string>();
        var value = (await api.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "emea", label = "EMEA" }))
            .AssertOk()["id"]!.GetValue<string>();
        return new Setup(api, customer, product, group, value);
    }

    static object[] Props(Setup s) => [new { groupId = s.Group, valueIds = new[] { s.Value } }];

    static void AssertSet(System.Text.Json.Nodes.JsonNode? properties, Setup s)
    {
        var property = Assert.Single(properties!.AsArray())!;
        Assert.Equal(s.Group, property["groupId"]!.GetValue<string>());
        Assert.Equal("EMEA", property["values"]![0]!["label"]!.GetValue<string>());
    }

    async Task Document(string objectType, string root, Func<Setup, object> create, Func<Setup, object> line)
    {
        var s = await SetupAsync(objectType);
        var created = (await s.Api.PostAsync(root, create(s))).AssertOk();
        var id = created["id"]!.GetValue<string>();
        AssertSet(created["customProperties"], s);
        AssertSet(created["lines"]![0]!["customProperties"], s);

        var added = (await s.Api.PostAsync($"{root}/{id}/lines", line(s))).AssertOk();
        AssertSet(added["customProperties"], s);
        var fetched = (await s.Api.GetAsync($"{root}/{id}")).AssertOk();
        AssertSet(fetched["customProperties"], s);
        Assert.All(fetched["lines"]!.AsArray(), l => AssertSet(l!["customProperties"], s));
        var listed = (await s.Api.GetAsync($"{root}?filter=id:eq:{id}")).AssertOk();
        AssertSet(listed["records"]![0]!["customProperties"], s);

        // A PATCH with an empty list clears them; a group of another object type is refused.
        var cleared = (await s.Api.SendAsync(HttpMethod.Patch, $"{root}/{id}", new { customProperties = Array.Empty<object>() })).AssertOk();
        Assert.Empty(cleared["customProperties"]!.AsArray());
        var lineId = added["id"]!.GetValue<string>();
        var lineCleared = (await s.Api.SendAsync(HttpMethod.Patch, $"{root}/{id}/lines/{lineId}", new { customProperties = Array.Empty<object>() }))
            .AssertOk();
        Assert.Empty(lineCleared["customProperties"]!.AsArray());
        var other = await SetupAsync("VENDOR");
        var refused = (await s.Api.SendAsync(HttpMethod.Patch, $"{root}/{id}", new { customProperties = Props(other) })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("customProperties", refused["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public Task Sales_invoices_store_custom_properties_on_the_document_and_its_lines() => Document("INVOICE", "/v1/invoice-receivables",
        s => new { customerId = s.Customer, customProperties = Props(s), lines = new[] { new { productId = s.Product, customProperties = Props(s) } } },
        s => new { productId = s.Product, customProperties = Props(s) });

    [Fact]
    public Task Customer_credits_store_custom_properties_on_the_document_and_its_lines() => Document("CUSTOMER_CREDIT", "/v1/customer-credits",
        s => new { customerId = s.Customer, customProperties = Props(s), lines = new[] { new { productId = s.Product, customProperties = Props(s) } } },
        s => new { productId = s.Product, customProperties = Props(s) });

    [Fact]
    public Task Contracts_store_custom_properties_on_the_document_and_its_lines() => Document("CONTRACT", "/v1/contracts",
        s => new
        {
            customerId = s.Customer, startDate = "2026-01-01", customProperties = Props(s),
            lines = new[] { new { productId = s.Product, billingStart = "2026-01-01", customProperties = Props(s) } },
        },
        s => new { productId = s.Product, billingStart = "2026-01-01", customProperties = Props(s) });
}
