using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Documents;

public class CustomPropertyTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<JsonNode> GroupAsync(ApiClient client, string inputType, params string[] objectTypes) =>
        (await client.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"{inputType.ToLowerInvariant()}_{Guid.NewGuid():N}", label = inputType, inputType, objectTypes,
        })).AssertOk();

    async Task<string> ValueAsync(string groupId, string name) =>
        (await server.Admin.PostAsync($"/v1/custom-properties/groups/{groupId}/values", new { internalName = name, label = name.ToUpperInvariant() }))
        .AssertOk()["id"]!.GetValue<string>();

    [Fact]
    public async Task Groups_and_values_crud_lists_and_filters()
    {
        var group = await GroupAsync(server.Admin, "SINGLE_SELECT", "VENDOR");
        var gid = group["id"]!.GetValue<string>();
        Assert.Equal("ACTIVE", group["objectTypeStatuses"]!["VENDOR"]!.GetValue<string>());
        (await server.Admin.PostAsync("/v1/custom-properties/groups", new { internalName = group["internalName"]!.GetValue<string>(), label = "x", inputType = "TEXT" }))
            .AssertError(409, "CONFLICT");
        (await server.Admin.PostAsync("/v1/custom-properties/groups", new { internalName = "bad", label = "x", inputType = "COLOR" })).AssertError(400, "BAD_REQUEST");

        var a = await ValueAsync(gid, "alpha");
        var b = await ValueAsync(gid, "beta");
        (await server.Admin.PostAsync($"/v1/custom-properties/groups/{gid}/values", new { internalName = "alpha", label = "dup" })).AssertError(409, "CONFLICT");

        var fetched = (await server.Viewer.GetAsync($"/v1/custom-properties/groups/{gid}")).AssertOk();
        Assert.Equal(2, fetched["values"]!.AsArray().Count);
        var listed = (await server.Admin.GetAsync($"/v1/custom-properties/groups?filter=objectType:eq:VENDOR,inputType:eq:SINGLE_SELECT&includeValues=true&cursor=0")).AssertOk();
        Assert.Contains(listed["records"]!.AsArray(), g => g!["id"]!.GetValue<string>() == gid && g["values"]!.AsArray().Count == 2);
        (await server.Admin.GetAsync("/v1/custom-properties/groups?filter=nope:eq:1")).AssertError(400, "BAD_REQUEST");

        var values = (await server.Admin.GetAsync($"/v1/custom-properties/groups/{gid}/values?sort=value:desc&limit=1&cursor=0")).AssertOk();
        Assert.Equal(b, values["records"]![0]!["id"]!.GetValue<string>());
        var next = (await server.Admin.GetAsync($"/v1/custom-properties/groups/{gid}/values?sort=value:desc&limit=1&cursor={values["nextCursor"]}")).AssertOk();
        Assert.Equal(a, next["records"]![0]!["id"]!.GetValue<string>());
        Assert.Single((await server.Admin.GetAsync($"/v1/custom-properties/groups/{gid}/values?filter=label:eq:ALPHA")).AssertOk()["records"]!.AsArray());

        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/custom-properties/groups/{gid}/values/{a}", new { label = "Alpha!", context = "ctx" })).AssertOk();
        Assert.Equal("Alpha!", patched["label"]!.GetValue<string>());
        Assert.Equal(group["internalName"]!.GetValue<string>(), patched["groupInternalName"]!.GetValue<string>());
        var cleared = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/custom-properties/groups/{gid}/values/{a}", "{\"context\":null}")).AssertOk();
        Assert.Null(cleared["context"]);
        Assert.Equal("Alpha!", cleared["label"]!.GetValue<string>());

        (await server.Viewer.PostAsync($"/v1/custom-properties/groups/{gid}/values", new { internalName = "v", label = "v" })).AssertError(403, "FORBIDDEN");
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/custom-properties/groups/{gid}/values/{b}")).AssertOk();
        (await server.Admin.GetAsync($"/v1/custom-properties/groups/{gid}/values/{b}")).AssertError(404, "NOT_FOUND");

        var other = await server.CreateTenantAsync("Other Props Co", "USD");
        (await other.Admin.GetAsync($"/v1/custom-properties/groups/{gid}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.GetAsync($"/v1/custom-properties/groups/{gid}/values/{a}")).AssertError(404, "NOT_FOUND");

        var text = await GroupAsync(server.Admin, "TEXT");
        (await server.Admin.PostAsync($"/v1/custom-properties/groups/{text["id"]}/values", new { internalName = "x", label = "x" }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
    }

    [Fact]
    public async Task Vendor_custom_properties_are_validated_stored_and_returned()
    {
        var select = (await GroupAsync(server.Admin, "MULTI_SELECT", "VENDOR"))["id"]!.GetValue<string>();
        var red = await ValueAsync(select, "red");
        var blue = await ValueAsync(select, "blue");
        var number = (await GroupAsync(server.Admin, "NUMERIC"))["id"]!.GetValue<string>();
        var billsOnly = (await GroupAsync(server.Admin, "SINGLE_SELECT", "BILL"))["id"]!.GetValue<string>();
        var otherGroupValue = await ValueAsync(billsOnly, "x");

        var created = (await server.Admin.PostAsync("/v1/vendors", new
        {
            name = "Props Vendor",
            customProperties = new object[] { new { groupId = select, valueIds = new[] { red, blue } }, new { groupId = number, inlineValues = new[] { "42.5" } } },
        })).AssertOk();
        var id = created["vendorId"]!.GetValue<string>();
        var fetched = (await server.Admin.GetAsync($"/v1/vendors/{id}")).AssertOk();
        var props = fetched["customProperties"]!.AsArray();
        Assert.Equal(2, props.Count);
        Assert.Equal(new[] { red, blue }, props[0]!["values"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()));
        Assert.Equal("42.5", props[1]!["values"]![0]!["label"]!.GetValue<string>());
        var listed = (await server.Admin.GetAsync($"/v1/vendors?filter=id:eq:{id}")).AssertOk();
        Assert.Equal(2, listed["records"]![0]!["customProperties"]!.AsArray().Count);

        // PUT without customProperties keeps them; with a list replaces them.
        (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Props Vendor 2" })).AssertOk();
        Assert.Equal(2, (await server.Admin.GetAsync($"/v1/vendors/{id}")).AssertOk()["customProperties"]!.AsArray().Count);
        var replaced = (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Props Vendor 2", customProperties = new[] { new { groupId = select, valueIds = new[] { blue } } } })).AssertOk();
        Assert.Equal(blue, Assert.Single(Assert.Single(replaced["customProperties"]!.AsArray())!["values"]!.AsArray())!["id"]!.GetValue<string>());

        async Task Refused(object property, params object[] path)
        {
            var error = (await server.Admin.PostAsync("/v1/vendors", new { name = "Bad", customProperties = new[] { property } })).AssertError(400, "BAD_REQUEST");
            var actual = error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()).ToArray();
            Assert.Equal(path.Select(p => p.ToString()!).ToArray(), actual);
        }
        await Refused(new { groupId = Guid.NewGuid(), valueIds = new[] { red } }, "customProperties", 0, "groupId");
        await Refused(new { groupId = select, valueIds = new[] { otherGroupValue } }, "customProperties", 0, "valueIds", 0);
        await Refused(new { groupId = select, inlineValues = new[] { "red" } }, "customProperties", 0, "inlineValues");
        await Refused(new { groupId = number, inlineValues = new[] { "forty" } }, "customProperties", 0, "inlineValues", 0);
        await Refused(new { groupId = number, valueIds = new[] { red } }, "customProperties", 0, "valueIds");
        await Refused(new { groupId = billsOnly, valueIds = new[] { otherGroupValue } }, "customProperties", 0, "groupId");

        // Another company's group is unknown here.
        var other = await server.CreateTenantAsync("Other Vendor Props Co", "USD");
        (await other.Admin.PostAsync("/v1/vendors", new { name = "X", customProperties = new[] { new { groupId = select, valueIds = new[] { red } } } }))
            .AssertError(400, "BAD_REQUEST");
    }
}
