using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public sealed class OutsideApiLimitServer : ApiServer
{
    public const int Files = 3;
    public const int Public = 4;
    protected override RateLimitOptions RateLimits => new() { PerMinute = 100_000, PerDay = 10_000_000, FilesPerMinute = Files, PublicPerMinute = Public };
}

/// <summary>The routes outside /v1 that do work (signed file URLs, the OpenAPI document) are limited too.</summary>
public class OutsideApiRateLimitTests(OutsideApiLimitServer server) : IClassFixture<OutsideApiLimitServer>
{
    static async Task AwayFromMinuteBoundary()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 50) await Task.Delay(TimeSpan.FromSeconds(61 - second));
    }

    [Fact]
    public async Task The_openapi_document_is_limited_per_client_address()
    {
        await AwayFromMinuteBoundary();
        for (var i = OutsideApiLimitServer.Public - 1; i >= 0; i--)
        {
            var ok = await server.Anonymous.GetAsync("/openapi.json");
            Assert.Equal(200, ok.Code);
            Assert.Equal(OutsideApiLimitServer.Public.ToString(), ok.Header("X-RateLimit-Limit"));
            Assert.Equal(i.ToString(), ok.Header("X-RateLimit-Remaining"));
        }
        var refused = await server.Anonymous.GetAsync("/openapi.json");
        refused.AssertError(429, "TOO_MANY_REQUESTS");
        Assert.InRange(int.Parse(refused.Header("Retry-After")!), 1, 60);
        Assert.NotNull(refused.Header("X-RateLimit-Reset"));
    }

    [Fact]
    public async Task A_signed_file_url_is_limited_per_token()
    {
        await AwayFromMinuteBoundary();
        var token = "not-a-real-token-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < OutsideApiLimitServer.Files; i++)
        {
            var answer = await server.Anonymous.GetAsync($"/files/{token}");
            answer.AssertError(403, "FORBIDDEN");
            Assert.Equal(OutsideApiLimitServer.Files.ToString(), answer.Header("X-RateLimit-Limit"));
        }
        (await server.Anonymous.GetAsync($"/files/{token}")).AssertError(429, "TOO_MANY_REQUESTS");
        (await server.Anonymous.SendAsync(HttpMethod.Put, $"/files/{token}", "x", contentType: "application/pdf"))
            .AssertError(429, "TOO_MANY_REQUESTS");

        // Another URL has its own budget; the API itself is not affected.
        (await server.Anonymous.GetAsync($"/files/other-{token}")).AssertError(403, "FORBIDDEN");
        (await server.Admin.GetAsync("/v1/vendors")).AssertOk();
    }

    [Fact]
    public async Task The_counters_never_hold_a_usable_file_url()
    {
        var token = "secret-token-" + Guid.NewGuid().ToString("N");
        await server.Anonymous.GetAsync($"/files/{token}");
        await using var cmd = server.Db.CreateCommand("SELECT count(*) FROM rate_limit_counters WHERE bucket LIKE '%' || $1 || '%'");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = token });
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }
}
