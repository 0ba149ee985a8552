using Ledgerlight.Platform;
using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.OAuth.OAuthKit;

namespace Ledgerlight.Tests.OAuth;

/// <summary>`oauth clients create|list|revoke` from the command line, with the server using what it registers.</summary>
public class OAuthCliTests(OAuthServer server) : IClassFixture<OAuthServer>
{
    [Fact]
    public async Task Clients_registered_on_the_command_line_run_the_flow_and_revoke()
    {
        var create = await CliRunner.RunAsync("oauth", "clients", "create", "--company", server.Company.CompanyId.ToString(), "--name", "Cli App",
            "--redirect-uri", "https://cli.example/cb", "--redirect-uri", "http://127.0.0.1:9/callback", "--database", server.ConnectionString);
        Assert.True(create.ExitCode == 0, create.Stderr);
        var lines = create.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var client = new RegisteredClient(lines["client_id"], lines["client_secret"], "http://127.0.0.1:9/callback");
        Assert.StartsWith("llcs_", client.Secret);

        var user = await CreateUserAsync(server, server.Company);
        Assert.Equal(200, (await ExchangeAsync(server.BaseAddress, client, await CodeAsync(server.BaseAddress, client, user))).Code);

        var list = await CliRunner.RunAsync("oauth", "clients", "list", "--company", server.Company.CompanyId.ToString(), "--database", server.ConnectionString);
        Assert.Contains(client.ClientId, list.Stdout);
        Assert.DoesNotContain(client.Secret!, list.Stdout);

        var revoke = await CliRunner.RunAsync("oauth", "clients", "revoke", client.ClientId, "--database", server.ConnectionString);
        Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        Assert.Equal("invalid_client", (await ExchangeAsync(server.BaseAddress, client, "llac_any")).Error);

        var bad = await CliRunner.RunAsync("oauth", "clients", "create", "--company", server.Company.CompanyId.ToString(), "--name", "Bad",
            "--redirect-uri", "not a uri", "--database", server.ConnectionString);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("redirect URI", bad.Stderr);
    }
}

public sealed class OAuthEndpointLimitServer : ApiServer
{
    public const int Public = 3;
    protected override RateLimitOptions RateLimits => new() { PerMinute = 100_000, PerDay = 10_000_000, PublicPerMinute = Public };
}

/// <summary>The token endpoint takes client secrets outside /v1: it has the per-address budget of the public routes.</summary>
public class OAuthEndpointLimitTests(OAuthEndpointLimitServer server) : IClassFixture<OAuthEndpointLimitServer>
{
    [Fact]
    public async Task The_token_endpoint_is_limited_per_client_address()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 50) await Task.Delay(TimeSpan.FromSeconds(61 - second));
        for (var i = 0; i < OAuthEndpointLimitServer.Public; i++)
            Assert.Equal(401, (await TokenAsync(server.BaseAddress, "grant_type=refresh_token&refresh_token=x&client_id=guess&client_secret=guess")).Code);
        var refused = await TokenAsync(server.BaseAddress, "grant_type=refresh_token&refresh_token=x&client_id=guess&client_secret=guess");
        Assert.Equal(429, refused.Code);
        Assert.NotNull(refused.Raw.Headers.RetryAfter);
    }
}
