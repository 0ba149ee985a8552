using System.Diagnostics;
using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public sealed class LeaseLimitServer : ApiServer
{
    public const int PerMinute = 300;
    protected override RateLimitOptions RateLimits => new() { PerMinute = PerMinute, PerDay = 1_000_000 };
}

/// <summary>
/// Issue 12: credentials are cached in memory and rate-limit quota is leased in blocks. Both must keep
/// their promises across instances: a revoked key stops everywhere within a second, and no more than
/// the limit gets through, with quota an idle instance leased given back to the others.
/// </summary>
public class CredentialCacheAndLeaseTests(LeaseLimitServer server) : IClassFixture<LeaseLimitServer>
{
    /// <summary>Fixed one-minute windows: leave room for a whole sequence before the window closes.</summary>
    static async Task WellInsideAMinute()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 30) await Task.Delay(TimeSpan.FromSeconds(61 - second));
    }

    /// <summary>Plain SQL, as an operator or another instance would: only the table's NOTIFY can tell the other instance.</summary>
    async Task ChangeOneRowBySqlAsync(string sql, Guid companyId)
    {
        await using var change = server.Db.CreateCommand(sql);
        change.Parameters.Add(new NpgsqlParameter { Value = companyId });
        Assert.Equal(1, await change.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task A_key_revoked_by_any_writer_stops_on_another_instance_within_a_second()
    {
        var (second, address) = await ApiServer.StartServerAsync(server.ConnectionString, new RateLimitOptions { PerMinute = 100_000, PerDay = 10_000_000 });
        await using var _ = second;
        var tenant = await server.CreateTenantAsync("Revoked Everywhere Ltd", "EUR");
        var onB = new ApiClient(address, tenant.AdminKey);
        for (var i = 0; i < 3; i++) (await onB.GetAsync("/v1/companies/current")).AssertOk(); // cached on B now

        await ChangeOneRowBySqlAsync("UPDATE api_keys SET revoked_at = now() WHERE company_id = $1 AND name = 'admin'", tenant.CompanyId);
        var revokedAt = Stopwatch.StartNew();
        ApiResponse response;
        do response = await onB.GetAsync("/v1/companies/current");
        while (response.Code == 200 && revokedAt.Elapsed < TimeSpan.FromSeconds(1));
        response.AssertError(401, "UNAUTHORIZED");
        (await tenant.Viewer.GetAsync("/v1/companies/current")).AssertOk(); // the company's other key still works
    }

    [Fact]
    public async Task A_company_renamed_by_plain_SQL_is_served_renamed_on_another_instance_within_a_second()
    {
        var (second, address) = await ApiServer.StartServerAsync(server.ConnectionString, new RateLimitOptions { PerMinute = 100_000, PerDay = 10_000_000 });
        await using var _ = second;
        var tenant = await server.CreateTenantAsync("Renamed Company Ltd", "EUR");
        var onB = new ApiClient(address, tenant.AdminKey);
        for (var i = 0; i < 3; i++) Assert.Equal("Renamed Company Ltd", (string?)(await onB.GetAsync("/v1/companies/current")).AssertOk()["name"]);

        await ChangeOneRowBySqlAsync("UPDATE companies SET name = 'Renamed Again Ltd', updated_at = now() WHERE id = $1", tenant.CompanyId);
        var renamedAt = Stopwatch.StartNew();
        string? name;
        do name = (string?)(await onB.GetAsync("/v1/companies/current")).AssertOk()["name"];
        while (name != "Renamed Again Ltd" && renamedAt.Elapsed < TimeSpan.FromSeconds(1));
        Assert.Equal("Renamed Again Ltd", name);
    }

    [Fact]
    public async Task Concurrent_requests_on_two_instances_never_pass_the_limit_and_idle_quota_is_given_back()
    {
        await WellInsideAMinute();
        var (second, address) = await ApiServer.StartServerAsync(server.ConnectionString,
            new RateLimitOptions { PerMinute = LeaseLimitServer.PerMinute, PerDay = 1_000_000 });
        await using var _ = second;
        var tenant = await server.CreateTenantAsync("Leased Quota Inc", "USD");
        var onA = tenant.Admin;
        var onB = new ApiClient(address, tenant.AdminKey);
        await WellInsideAMinute();

        // A burst on A alone grows its leases; whatever it leased and did not use goes back when it idles.
        var burst = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => onA.GetAsync("/v1/entities")));
        Assert.All(burst, r => r.AssertOk());
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        // Then both instances at once, more than is left: exactly the rest passes.
        var both = await Task.WhenAll(Enumerable.Range(0, 160).Select(i => (i % 2 == 0 ? onA : onB).GetAsync("/v1/entities")));
        Assert.Equal(LeaseLimitServer.PerMinute - 200, both.Count(r => r.Code == 200));
        Assert.All(both.Where(r => r.Code != 200), r => r.AssertError(429, "TOO_MANY_REQUESTS"));
    }
}
