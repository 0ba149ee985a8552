using Ledgerlight.Platform.Auth;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Xunit;

namespace Ledgerlight.Tests.Platform;

/// <summary>A server with one route that fails unexpectedly, to see what a client gets from a bug.</summary>
public sealed class FailingServer : ApiServer
{
    protected override void ExtraRoutes(IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/test/boom", string () => throw new InvalidOperationException("secret internal detail"))
            .RequirePermission("vendors:read");
}

public class ErrorEnvelopeTests(FailingServer server) : IClassFixture<FailingServer>
{
    async Task<long> VendorCount() => (await server.Admin.GetAsync("/v1/vendors")).Json["total"]!.GetValue<long>();

    [Fact]
    public async Task Unknown_route_is_404_envelope()
    {
        (await server.Admin.GetAsync("/v1/no-such-thing")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Wrong_method_is_405_envelope()
    {
        var response = await server.Admin.SendAsync(HttpMethod.Delete, "/v1/vendors");
        Assert.Equal(405, response.Code);
        Assert.Contains("DELETE", response.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_is_400_and_creates_nothing()
    {
        var before = await VendorCount();
        (await server.Admin.PostAsync("/v1/vendors", "{\"name\": \"Broken\",")).AssertError(400, "BAD_REQUEST");
        Assert.Equal(before, await VendorCount());
    }

    [Fact]
    public async Task Wrong_field_type_names_the_field()
    {
        var error = (await server.Admin.PostAsync("/v1/vendors", new { name = 42 })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("name", error["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Nested_wrong_type_has_the_full_path()
    {
        var error = (await server.Admin.PostAsync("/v1/vendors", new { name = "X", phoneNumber = new { localNumber = 5 } }))
            .AssertError(400, "BAD_REQUEST");
        var path = error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()).ToArray();
        Assert.Equal(["phoneNumber", "localNumber"], path);
    }

    [Fact]
    public async Task Malformed_uuid_in_body_is_400_with_path()
    {
        var error = (await server.Admin.PostAsync("/v1/vendors", new { name = "X", companyEntityIds = new[] { "not-a-uuid" } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal("companyEntityIds", error["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_uuid_in_path_is_400_not_404()
    {
        (await server.Admin.GetAsync("/v1/vendors/12345")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Missing_required_field_is_400_with_its_path()
    {
        var error = (await server.Admin.PostAsync("/v1/vendors", new { email = "a@b.example" })).AssertError(400, "BAD_REQUEST");
        Assert.Contains(error["errors"]!.AsArray(), e => e!["path"]![0]!.GetValue<string>() == "name");
    }

    [Fact]
    public async Task All_field_errors_are_reported_together()
    {
        var error = (await server.Admin.PostAsync("/v1/vendors", new { email = "not-an-email", country = "XX", currency = "ABC" }))
            .AssertError(400, "BAD_REQUEST");
        var fields = error["errors"]!.AsArray().Select(e => e!["path"]![0]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "name", "email", "country", "currency" }, fields);
    }

    [Fact]
    public async Task Oversized_body_is_413_and_creates_nothing()
    {
        var before = await VendorCount();
        var huge = new { name = "Big", description = new string('x', 2 * 1024 * 1024) };
        // With 100-continue the server refuses on Content-Length before the client streams 2 MiB into a closed socket.
        (await server.Admin.PostAsync("/v1/vendors", huge, new Dictionary<string, string> { ["Expect"] = "100-continue" }))
            .AssertError(413, "PAYLOAD_TOO_LARGE");
        Assert.Equal(before, await VendorCount());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_client_streaming_a_body_far_past_the_limit_reads_its_answer_instead_of_a_reset(bool idempotent, bool authenticated)
    {
        // No 100-continue: the client is still sending when the server answers, as most clients do.
        var before = await VendorCount();
        var body = "{\"name\":\"Big\",\"description\":\"" + new string('x', 9 * 1024 * 1024) + "\"}";
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "/v1/vendors"))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            if (authenticated) request.Headers.TryAddWithoutValidation("Authorization", $"Basic {server.Admin.Key}");
            if (idempotent) request.Headers.TryAddWithoutValidation("Idempotency-Key", $"big-{i}");
            using var http = new HttpClient();
            using var response = await http.SendAsync(request);
            new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync())
                .AssertError(authenticated ? 413 : 401, authenticated ? "PAYLOAD_TOO_LARGE" : "UNAUTHORIZED");
        }
        Assert.Equal(before, await VendorCount());
    }

    [Fact]
    public async Task A_body_sent_with_a_request_line_kestrel_refuses_does_not_reset_the_answer()
    {
        // Kestrel itself refuses a path with an encoded NUL and closes the connection; the client is still sending
        // its 8 MiB. Without a lingering close the kernel's reset could reach the client before the 400 did.
        var body = "{\"x\":\"" + new string('x', 8 * 1024 * 1024) + "\"}";
        for (var i = 0; i < 8; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(server.BaseAddress, "/v1/vendors/a%00b/approvers"))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", $"Basic {server.Admin.Key}");
            using var http = new HttpClient();
            using var response = await http.SendAsync(request);
            new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync())
                .AssertError(400, "BAD_REQUEST");
        }
        (await server.Admin.GetAsync("/v1/vendors")).AssertOk();
    }

    [Fact]
    public async Task Non_json_media_type_is_415()
    {
        var response = await server.Admin.SendAsync(HttpMethod.Post, "/v1/vendors", "name=x", contentType: "application/x-www-form-urlencoded");
        response.AssertError(415, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Unexpected_failure_is_500_with_request_id_and_no_internals()
    {
        var response = await server.Admin.GetAsync("/v1/test/boom");
        var error = response.AssertError(500, "INTERNAL_SERVER_ERROR");
        var requestId = response.Header("X-Request-Id");
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Contains(requestId!, error["message"]!.GetValue<string>());
        Assert.DoesNotContain("secret internal detail", response.Body);
        Assert.DoesNotContain("InvalidOperationException", response.Body);
    }

    [Fact]
    public async Task Every_response_carries_a_request_id()
    {
        foreach (var response in new[]
                 {
                     await server.Admin.GetAsync("/v1/vendors"),
                     await server.Anonymous.GetAsync("/v1/vendors"),
                     await server.Admin.GetAsync("/v1/nope"),
                     await server.Anonymous.GetAsync("/health/live"),
                 })
            Assert.False(string.IsNullOrEmpty(response.Header("X-Request-Id")));
    }

    [Fact]
    public async Task A_caller_supplied_request_id_is_echoed()
    {
        var response = await server.Admin.SendAsync(HttpMethod.Get, "/v1/vendors", headers: new Dictionary<string, string> { ["X-Request-Id"] = "trace-abc-123" });
        Assert.Equal("trace-abc-123", response.Header("X-Request-Id"));
    }
}
