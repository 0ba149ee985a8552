using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.OAuth.OAuthKit;

namespace Ledgerlight.Tests.OAuth;

public sealed class OAuthTightLimitServer : ApiServer
{
    public const int PerMinute = 5;
    protected override RateLimitOptions RateLimits => new() { PerMinute = PerMinute, PerDay = 1_000_000, PublicPerMinute = 100_000 };
}

/// <summary>Bearer requests count like key requests: per grant per minute, and towards the company's day.</summary>
public class OAuthRateLimitTests(OAuthTightLimitServer server) : IClassFixture<OAuthTightLimitServer>
{
    [Fact]
    public async Task Each_token_has_its_own_minute_and_counts_towards_the_companys_day()
    {
        var first = await CreateUserAsync(server, server.Company);
        var second = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var a = await ExchangeAsync(server.BaseAddress, client, await CodeAsync(server.BaseAddress, client, first));
        var b = await ExchangeAsync(server.BaseAddress, client, await CodeAsync(server.BaseAddress, client, second));

        var second0 = DateTime.UtcNow.Second;
        if (second0 >= 45) await Task.Delay(TimeSpan.FromSeconds(61 - second0));
        var dayBefore = await CompanyDayCountAsync();
        var remaining = new List<int>();
        for (var i = 0; i < OAuthTightLimitServer.PerMinute; i++)
        {
            var ok = (await WithBearer(server, HttpMethod.Get, "/v1/companies/current", a.AccessToken));
            ok.AssertOk();
            remaining.Add(int.Parse(ok.Header("X-RateLimit-Remaining")!));
        }
        Assert.Equal([4, 3, 2, 1, 0], remaining);
        var refused = await WithBearer(server, HttpMethod.Get, "/v1/companies/current", a.AccessToken);
        refused.AssertError(429, "TOO_MANY_REQUESTS");
        Assert.NotNull(refused.Header("Retry-After"));

        // Refreshing does not buy a fresh minute: the budget belongs to the grant, not to one access token.
        var renewed = await RefreshAsync(server.BaseAddress, client, a.RefreshToken);
        (await WithBearer(server, HttpMethod.Get, "/v1/companies/current", renewed.AccessToken)).AssertError(429, "TOO_MANY_REQUESTS");

        // Another user's token has its own minute.
        (await WithBearer(server, HttpMethod.Get, "/v1/companies/current", b.AccessToken)).AssertOk();
        // Quota is leased in blocks; what an instance leased and did not use goes back after a second idle, and
        // then the company's day holds exactly the requests of both tokens (the refused ones included).
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(dayBefore + OAuthTightLimitServer.PerMinute + 3, await CompanyDayCountAsync());
    }

    async Task<int> CompanyDayCountAsync()
    {
        await using var cmd = server.Db.CreateCommand("SELECT coalesce(sum(count), 0)::int FROM rate_limit_counters WHERE bucket = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"company:{server.Company.CompanyId}" });
        return (int)(await cmd.ExecuteScalarAsync())!;
    }
}
