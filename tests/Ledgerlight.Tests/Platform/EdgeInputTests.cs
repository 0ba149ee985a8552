using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

/// <summary>What the edge refuses for every request before any endpoint or store sees it.</summary>
public class EdgeInputTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<long> VendorCount() => (await server.Admin.GetAsync("/v1/vendors")).AssertOk()["total"]!.GetValue<long>();

    static string[] PathOf(JsonNode error) =>
        error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()).ToArray();

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0007")]
    [InlineData("\\ud800")]
    public async Task Forbidden_text_in_a_body_string_is_400_with_its_json_path_and_creates_nothing(string escape)
    {
        var before = await VendorCount();
        var body = "{\"name\":\"Fine\",\"address\":{\"city\":\"Pa" + escape + "ris\"}}";
        var error = (await server.Admin.PostAsync("/v1/vendors", body)).AssertError(400, "BAD_REQUEST");
        Assert.DoesNotContain("Paris", error["message"]!.GetValue<string>());
        Assert.Equal(["address", "city"], PathOf(error));
        Assert.Equal(before, await VendorCount());
    }

    [Fact]
    public async Task Nul_in_a_property_name_is_400()
    {
        var error = (await server.Admin.PostAsync("/v1/vendors", "{\"name\":\"X\",\"na\\u0000me\":1}")).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["na\0me"], PathOf(error));
    }

    [Fact]
    public async Task Tabs_and_newlines_in_text_stay_allowed()
    {
        (await server.Admin.PostAsync("/v1/vendors", new { name = "Line one\r\nLine\ttwo" })).AssertOk();
    }

    [Theory]
    [InlineData("/v1/vendors?searchTerm=a%00b")]
    [InlineData("/v1/vendors?filter=status:eq:a%00b")]
    [InlineData("/v1/vendors?cursor=%00")]
    [InlineData("/v1/vendors?anything=%01")]
    [InlineData("/v1/vendors/abc%01def")]
    public async Task Forbidden_text_in_the_query_string_or_path_is_400(string path)
    {
        (await server.Admin.GetAsync(path)).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task A_forged_cursor_carrying_a_nul_is_400()
    {
        var wire = "{\"S\":\"name:a,id:a\",\"D\":\"n\",\"K\":[\"a\\u0000\"],\"I\":\"" + Guid.NewGuid() + "\"}";
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(wire)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        (await server.Admin.GetAsync($"/v1/vendors?sort=name:asc&cursor={cursor}")).AssertError(400, "BAD_REQUEST");
    }

    [Theory]
    [InlineData("/v1/vendors", "{\"name\":\"X\",\"customProperties\":[null]}", "customProperties")]
    [InlineData("/v1/invoice-payables", "{\"lineItems\":[null]}", "lineItems")]
    [InlineData("/v1/journal-entries", "{\"lines\":[null]}", "lines")]
    [InlineData("/v1/products", "{\"name\":\"P\",\"pricings\":[null]}", "pricings")]
    public async Task A_null_inside_a_body_array_is_400_with_its_path(string path, string body, string field)
    {
        var error = (await server.Admin.PostAsync(path, body)).AssertError(400, "BAD_REQUEST");
        Assert.Equal([field, "0"], PathOf(error));
    }

    [Fact]
    public async Task A_null_element_in_a_top_level_array_body_is_400()
    {
        var po = Guid.NewGuid();
        var error = (await server.Admin.PostAsync($"/v1/purchase-orders/{po}/lines/bulk", "[null]")).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["0"], PathOf(error));
    }

    /// <summary>Kestrel refuses a request target that decodes to NUL before the application runs.</summary>
    [Theory]
    [InlineData("/v1/vendors/%00")]
    [InlineData("/v1/%00/vendors")]
    public async Task A_nul_escape_in_the_path_gets_the_envelope_too(string target)
    {
        var (status, headers, body) = await RawGetAsync(target);
        Assert.Equal(400, status);
        Assert.Contains("application/json", headers, StringComparison.OrdinalIgnoreCase);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("BAD_REQUEST", json["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(json["message"]!.GetValue<string>()));
        Assert.NotNull(json["errors"]);
    }

    [Fact]
    public async Task A_nul_escape_after_a_good_request_on_the_same_connection_gets_the_envelope()
    {
        var (status, _, body) = await RawGetAsync("/v1/vendors/%00", first: "/health/live");
        Assert.Equal(400, status);
        Assert.Equal("BAD_REQUEST", JsonNode.Parse(body[body.LastIndexOf("{\"name\"", StringComparison.Ordinal)..])!["type"]!.GetValue<string>());
    }

    async Task<(int Status, string Headers, string Body)> RawGetAsync(string target, string? first = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var stream = client.GetStream();
        var host = $"Host: {server.BaseAddress.Authority}\r\nAuthorization: Basic {server.Company.AdminKey}\r\n";
        var request = (first is null ? "" : $"GET {first} HTTP/1.1\r\n{host}\r\n") + $"GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (first is not null) response = response[response.LastIndexOf("HTTP/1.1 ", StringComparison.Ordinal)..];
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = response[..split];
        var status = int.Parse(head.Split(' ')[1]);
        return (status, head, response[(split + 4)..]);
    }
}
