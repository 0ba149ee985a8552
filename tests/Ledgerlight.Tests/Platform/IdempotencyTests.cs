using Ledgerlight.Platform.Auth;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Xunit;

namespace Ledgerlight.Tests.Platform;

/// <summary>A server with a slow write (to catch duplicates in flight) and a failing one (to see keys released).</summary>
public sealed class SlowWriteServer : ApiServer
{
    public int SlowExecutions;
    public int FailingExecutions;

    protected override void ExtraRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/test/slow", async () =>
        {
            Interlocked.Increment(ref SlowExecutions);
            await Task.Delay(1500);
            return Results.Text("{\"done\":true}", "application/json");
        }).RequirePermission("vendors:write");
        routes.MapPost("/v1/test/fails-once", () =>
        {
            if (Interlocked.Increment(ref FailingExecutions) == 1) throw new InvalidOperationException("transient");
            return Results.Text("{\"done\":true}", "application/json");
        }).RequirePermission("vendors:write");
    }
}

public class IdempotencyTests(SlowWriteServer server) : IClassFixture<SlowWriteServer>
{
    static Dictionary<string, string> Key(string key) => new() { ["X-Idempotency-Key"] = key };

    async Task<long> VendorCount(ApiClient client) => (await client.GetAsync("/v1/vendors")).Json["total"]!.GetValue<long>();

    [Fact]
    public async Task Retry_with_same_key_and_body_replays_without_executing_twice()
    {
        var before = await VendorCount(server.Admin);
        var key = Guid.NewGuid().ToString();
        var first = await server.Admin.PostAsync("/v1/vendors", new { name = "Once Only GmbH" }, Key(key));
        var retry = await server.Admin.PostAsync("/v1/vendors", new { name = "Once Only GmbH" }, Key(key));

        first.AssertOk();
        Assert.Equal(200, retry.Code);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(before + 1, await VendorCount(server.Admin));
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        (await server.Admin.PostAsync("/v1/vendors", new { name = "First Body" }, Key(key))).AssertOk();
        (await server.Admin.PostAsync("/v1/vendors", new { name = "Second Body" }, Key(key))).AssertError(422, "UNPROCESSABLE_CONTENT");
    }

    [Fact]
    public async Task Error_responses_are_replayed_too()
    {
        var key = Guid.NewGuid().ToString();
        var first = await server.Admin.PostAsync("/v1/vendors", new { email = "no-name@example.com" }, Key(key));
        var retry = await server.Admin.PostAsync("/v1/vendors", new { email = "no-name@example.com" }, Key(key));
        first.AssertError(400, "BAD_REQUEST");
        Assert.Equal(400, retry.Code);
    }

    [Fact]
    public async Task Duplicate_in_flight_is_409_and_never_runs_twice()
    {
        var before = server.SlowExecutions;
        var key = Guid.NewGuid().ToString();
        var first = server.Admin.PostAsync("/v1/test/slow", new { }, Key(key));
        // Send the duplicate only once the first is certainly executing (it claimed the key before that).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref server.SlowExecutions) == before && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        var duplicate = await server.Admin.PostAsync("/v1/test/slow", new { }, Key(key));
        duplicate.AssertError(409, "CONFLICT");
        Assert.Equal(200, (await first).Code);

        var replay = await server.Admin.PostAsync("/v1/test/slow", new { }, Key(key));
        Assert.Equal(200, replay.Code);
        Assert.Equal(before + 1, server.SlowExecutions);
    }

    [Fact]
    public async Task Server_error_releases_the_key_for_a_retry()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(500, (await server.Admin.PostAsync("/v1/test/fails-once", new { }, Key(key))).Code);
        Assert.Equal(200, (await server.Admin.PostAsync("/v1/test/fails-once", new { }, Key(key))).Code);
    }

    [Fact]
    public async Task Keys_are_scoped_per_company()
    {
        var other = await server.CreateTenantAsync("Other Idempotent Co", "USD");
        var key = Guid.NewGuid().ToString();
        var mine = (await server.Admin.PostAsync("/v1/vendors", new { name = "Shared Key Vendor" }, Key(key))).AssertOk();
        var theirs = (await other.Admin.PostAsync("/v1/vendors", new { name = "Shared Key Vendor" }, Key(key))).AssertOk();
        Assert.NotEqual(mine["vendorId"]!.ToString(), theirs["vendorId"]!.ToString());
        Assert.Equal(1, await VendorCount(other.Admin));
    }

    [Fact]
    public async Task Put_is_idempotent_as_well()
    {
        var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "Put Target" })).AssertOk();
        var id = vendor["vendorId"]!.GetValue<string>();
        var key = Guid.NewGuid().ToString();
        var first = (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Put Target v2" }, Key(key))).AssertOk();
        var again = (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Put Target v2" }, Key(key))).AssertOk();
        Assert.Equal(first["version"]!.GetValue<int>(), again["version"]!.GetValue<int>());
        Assert.Equal(2, (await server.Admin.GetAsync($"/v1/vendors/{id}")).Json["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Overlong_key_is_400()
    {
        (await server.Admin.PostAsync("/v1/vendors", new { name = "X" }, Key(new string('k', 300)))).AssertError(400, "BAD_REQUEST");
    }
}
