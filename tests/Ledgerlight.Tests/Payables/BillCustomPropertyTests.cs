using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables;

public class BillCustomPropertyTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Bills_keep_custom_properties_and_replace_them_after_posting()
    {
        var group = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"department_{Guid.NewGuid():N}", label = "Department", inputType = "SINGLE_SELECT", objectTypes = new[] { "BILL" },
        })).AssertOk()["id"]!.GetValue<string>();
        var ops = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "ops", label = "Operations" })).AssertOk()["id"]!.GetValue<string>();
        var sales = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "sales", label = "Sales" })).AssertOk()["id"]!.GetValue<string>();
        var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "Tagged Vendor" })).AssertOk()["vendorId"]!.GetValue<string>();

        var bill = (await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD", invoiceNumber = $"CP-{Guid.NewGuid():N}", issuedDate = "2026-05-01",
            lineItems = new[] { new { netAmount = 10_000 } },
            customProperties = new[] { new { groupId = group, valueIds = new[] { ops } } },
        })).AssertOk();
        var id = bill["id"]!.GetValue<string>();
        Assert.Equal("Operations", bill["customProperties"]![0]!["values"]![0]!["label"]!.GetValue<string>());

        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertOk();
        var replaced = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{id}/custom-properties", new
        {
            customProperties = new[] { new { groupId = group, valueIds = new[] { sales } } },
        })).AssertOk();
        Assert.Equal("Sales", replaced["customProperties"]![0]!["values"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("UNPAID", replaced["state"]!.GetValue<string>());

        var cleared = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{id}/custom-properties", new { customProperties = Array.Empty<object>() })).AssertOk();
        Assert.Empty(cleared["customProperties"]!.AsArray());

        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{id}/custom-properties", new
        {
            customProperties = new[] { new { groupId = group, valueIds = new[] { Guid.NewGuid() } } },
        })).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{id}/custom-properties", new { customProperties = Array.Empty<object>() }))
            .AssertError(403, "FORBIDDEN");
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{Guid.NewGuid()}/custom-properties", new { customProperties = Array.Empty<object>() }))
            .AssertError(404, "NOT_FOUND");

        // Light locks editing while approval is pending: the tags stay as they were until the approvers have decided.
        var pending = (await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD", invoiceNumber = $"CP-{Guid.NewGuid():N}", issuedDate = "2026-05-01",
            lineItems = new[] { new { netAmount = 500 } },
            customProperties = new[] { new { groupId = group, valueIds = new[] { ops } } },
        })).AssertOk()["id"]!.GetValue<string>();
        Assert.Equal("APPROVAL_PENDING", (await server.Admin.PostAsync($"/v1/invoice-payables/{pending}/submit-for-approval")).AssertOk()["state"]!.GetValue<string>());
        var locked = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{pending}/custom-properties", new
        {
            customProperties = new[] { new { groupId = group, valueIds = new[] { sales } } },
        })).AssertError(409, "CONFLICT");
        Assert.Contains("APPROVAL_PENDING", locked["message"]!.GetValue<string>());
        var unchanged = (await server.Admin.GetAsync($"/v1/invoice-payables/{pending}")).AssertOk();
        Assert.Equal("Operations", unchanged["customProperties"]![0]!["values"]![0]!["label"]!.GetValue<string>());
    }
}
