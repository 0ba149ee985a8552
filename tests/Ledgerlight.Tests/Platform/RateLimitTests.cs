using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public sealed class TightLimitServer : ApiServer
{
    public const int PerMinute = 5;
    public const int PerDay = 8;
    protected override RateLimitOptions RateLimits => new() { PerMinute = PerMinute, PerDay = PerDay };
}

public class RateLimitTests(TightLimitServer server) : IClassFixture<TightLimitServer>
{
    /// <summary>Fixed one-minute windows: don't start a sequence a few seconds before one closes.</summary>
    static async Task AwayFromMinuteBoundary()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 50) await Task.Delay(TimeSpan.FromSeconds(61 - second));
    }

    [Fact]
    public async Task Limit_per_key_holds_across_two_server_instances()
    {
        await AwayFromMinuteBoundary();
        var (second, address) = await ApiServer.StartServerAsync(server.ConnectionString,
            new RateLimitOptions { PerMinute = TightLimitServer.PerMinute, PerDay = TightLimitServer.PerDay });
        await using var _ = second;
        var tenant = await server.CreateTenantAsync("Two Instances Ltd", "EUR");
        var onA = tenant.Admin;
        var onB = new ApiClient(address, tenant.AdminKey);

        // Checked again here: starting the second instance and the tenant can take seconds on a busy machine.
        await AwayFromMinuteBoundary();
        var remaining = new List<int>();
        foreach (var client in new[] { onA, onB, onA, onB, onA })
        {
            var ok = await client.GetAsync("/v1/companies/current");
            ok.AssertOk();
            Assert.Equal(TightLimitServer.PerMinute.ToString(), ok.Header("X-RateLimit-Limit"));
            remaining.Add(int.Parse(ok.Header("X-RateLimit-Remaining")!));
        }
        Assert.Equal([4, 3, 2, 1, 0], remaining);

        var refused = await onB.GetAsync("/v1/companies/current");
        refused.AssertError(429, "TOO_MANY_REQUESTS");
        var retryAfter = int.Parse(refused.Header("Retry-After")!);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("0", refused.Header("X-RateLimit-Remaining"));
        var reset = long.Parse(refused.Header("X-RateLimit-Reset")!);
        Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 61);

        // Another key of the same company has its own per-minute budget.
        (await tenant.Viewer.GetAsync("/v1/companies/current")).AssertOk();
    }

    [Fact]
    public async Task Daily_limit_is_shared_by_every_key_of_a_company()
    {
        await AwayFromMinuteBoundary();
        var tenant = await server.CreateTenantAsync("Daily Budget Inc", "USD");
        for (var i = 0; i < 5; i++) (await tenant.Admin.GetAsync("/v1/entities")).AssertOk();
        for (var i = 0; i < 3; i++) (await tenant.Viewer.GetAsync("/v1/entities")).AssertOk();

        var refused = await tenant.Viewer.GetAsync("/v1/entities");
        refused.AssertError(429, "TOO_MANY_REQUESTS");
        Assert.Equal(TightLimitServer.PerDay.ToString(), refused.Header("X-RateLimit-Limit"));
        var nextMidnight = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1)).ToUnixTimeSeconds();
        Assert.Equal(nextMidnight.ToString(), refused.Header("X-RateLimit-Reset"));

        // Other companies are unaffected.
        var other = await server.CreateTenantAsync("Unrelated Co", "USD");
        (await other.Admin.GetAsync("/v1/entities")).AssertOk();
    }

    [Fact]
    public async Task Unauthenticated_calls_are_limited_too_and_carry_headers()
    {
        var response = await server.Anonymous.GetAsync("/v1/vendors");
        response.AssertError(401, "UNAUTHORIZED");
        Assert.NotNull(response.Header("X-RateLimit-Limit"));
        Assert.NotNull(response.Header("X-RateLimit-Remaining"));
    }
}
