using System.Diagnostics;
using System.Text;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Limits;

/// <summary>
/// Every document with lines holds at most 500 (contracts 200): a body with more is refused up front with one
/// error at the lines' path, before any per-line check or database lookup, so 100,000 empty lines cost no more than one.
/// </summary>
public class DocumentSizeTests(ApiServer server) : IClassFixture<ApiServer>
{
    /// <summary>{"field": [{}, {}, ...]} with <paramref name="count"/> empty objects (100,000 is about 300 KB).</summary>
    static string Body(string field, int count, string extra = "")
    {
        var sb = new StringBuilder("{").Append(extra).Append('"').Append(field).Append("\":[");
        for (var i = 0; i < count; i++) sb.Append(i == 0 ? "{}" : ",{}");
        return sb.Append("]}").ToString();
    }

    [Theory]
    [InlineData("/v1/invoice-payables", "lineItems")]
    [InlineData("/v1/credit-notes", "lines")]
    [InlineData("/v1/purchase-orders", "lines")]
    [InlineData("/v1/journal-entries", "lines")]
    [InlineData("/v1/invoice-receivables", "lines")]
    [InlineData("/v1/customer-credits", "lines")]
    [InlineData("/v1/contracts", "lines")]
    public async Task One_hundred_thousand_empty_lines_are_refused_with_one_short_error(string route, string field)
    {
        // One error naming the count, not 100,000 per-line errors: the count is checked before any line is.
        var response = await server.Admin.SendAsync(HttpMethod.Post, route, Body(field, 100_000));

        var json = response.AssertError(400, "BAD_REQUEST");
        var error = Assert.Single(json["errors"]!.AsArray())!;
        Assert.Equal(field, error["path"]![0]!.GetValue<string>());
        Assert.Contains("100000", json["message"]!.GetValue<string>());
        Assert.True(response.Body.Length < 2_000, $"the answer is {response.Body.Length} bytes");
    }

    [Fact]
    public async Task A_full_bill_of_500_taxed_lines_at_the_maximum_posts_in_one_entry()
    {
        var api = (await server.CreateTenantAsync("Full Bill Co", "USD")).Admin;
        var vendor = (await api.PostAsync("/v1/vendors", new { name = "Full Vendor" })).AssertOk()["vendorId"]!.GetValue<string>();
        const long max = Ledgerlight.Platform.Limits.MaxAmount;
        var bill = (await api.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD",
            lineItems = Enumerable.Range(0, 500).Select(_ => new { netAmount = max, taxAmount = max }).ToArray(),
        })).AssertOk();
        Assert.Equal(1000 * max, bill["amount"]!.GetValue<long>());
        // 500 net lines, 500 tax lines and the payable: 1,001 ledger lines.
        var posted = (await api.PostAsync($"/v1/invoice-payables/{bill["id"]!.GetValue<string>()}/post")).AssertOk();
        Assert.Equal("UNPAID", posted["state"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/invoice-payables", "lineItems", 500)]
    [InlineData("/v1/credit-notes", "lines", 500)]
    [InlineData("/v1/purchase-orders", "lines", 500)]
    [InlineData("/v1/journal-entries", "lines", 500)]
    [InlineData("/v1/invoice-receivables", "lines", 500)]
    [InlineData("/v1/customer-credits", "lines", 500)]
    [InlineData("/v1/contracts", "lines", 200)]
    public async Task One_line_over_the_bound_is_refused_and_nothing_is_created(string route, string field, int max)
    {
        // Journal entries have no list operation; their documents show in the accounting-documents feed once posted.
        var list = route == "/v1/journal-entries" ? "/v1/ledger-transaction-lines" : route;
        var before = (await server.Admin.GetAsync($"{list}?limit=200")).AssertOk()["records"]!.AsArray().Count;
        var json = (await server.Admin.SendAsync(HttpMethod.Post, route, Body(field, max + 1, route == "/v1/journal-entries" ? "\"shouldPost\":true," : "")))
            .AssertError(400, "BAD_REQUEST");
        Assert.Contains($"At most {max}", json["message"]!.GetValue<string>());
        Assert.Equal(before, (await server.Admin.GetAsync($"{list}?limit=200")).AssertOk()["records"]!.AsArray().Count);
    }
}
