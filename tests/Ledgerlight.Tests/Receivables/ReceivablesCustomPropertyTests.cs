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
