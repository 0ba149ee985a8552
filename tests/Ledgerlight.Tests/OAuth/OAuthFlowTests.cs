using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Npgsql;
using Xunit;
using static Ledgerlight.Tests.OAuth.OAuthKit;

namespace Ledgerlight.Tests.OAuth;

/// <summary>A server whose per-address budget outside /v1 does not get in the way of many flows from 127.0.0.1.</summary>
public class OAuthServer : ApiServer
{
    protected override RateLimitOptions RateLimits => new() { PerMinute = 100_000, PerDay = 10_000_000, PublicPerMinute = 100_000 };
}

/// <summary>The authorization code and refresh flows over real HTTP, as an integration following Light's documentation runs them.</summary>
public class OAuthFlowTests(OAuthServer server) : IClassFixture<OAuthServer>
{
    Uri Base => server.BaseAddress;

    [Fact]
    public async Task The_seeds_code_exchange_answers_an_ExternalOauthToken_whose_bearer_acts_as_the_user()
    {
        var user = await CreateUserAsync(server, server.Company, "SUPERUSER");
        var client = await CreateClientAsync(server.Company);
        var location = await AuthorizeAsync(Base, client, user, state: "st@te/1");
        Assert.StartsWith(client.RedirectUri + "?code=llac_", location);
        Assert.Equal("st@te/1", QueryValue(location, "state"));

        var token = await ExchangeAsync(Base, client, QueryValue(location, "code")!);
        Assert.Equal(200, token.Code);
        Assert.Equal("Bearer", token.Json["token_type"]!.GetValue<string>());
        Assert.Equal(3600, token.Json["expires_in"]!.GetValue<long>());
        Assert.StartsWith("llrt_", token.RefreshToken);
        Assert.Equal("no-store", token.Raw.Headers.CacheControl!.ToString());
        var check = await SchemaValidator.ValidateAsync("POST", "/oauth/token", token.Json);
        Assert.True(check.Ok, string.Join("; ", check.Errors));

        (await WithBearer(server, HttpMethod.Get, "/v1/companies/current", token.AccessToken)).AssertOk();
        var vendor = (await WithBearer(server, HttpMethod.Post, "/v1/vendors", token.AccessToken, new { name = "Bearer Vendor" })).AssertOk();
        Assert.Equal("Bearer Vendor", vendor["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_users_role_decides_what_the_token_may_do()
    {
        var viewer = await CreateUserAsync(server, server.Company, "REPORT_VIEWER");
        var client = await CreateClientAsync(server.Company);
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, viewer));
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertOk();
        (await WithBearer(server, HttpMethod.Post, "/v1/vendors", token.AccessToken, new { name = "Nope" })).AssertError(403, "FORBIDDEN");
        (await WithBearer(server, HttpMethod.Get, "/v1/oauth-clients", token.AccessToken)).AssertError(403, "FORBIDDEN");
    }

    [Fact]
    public async Task Client_authenticates_by_form_or_basic_and_a_wrong_secret_is_invalid_client()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var wrong = client with { Secret = client.Secret + "x" };
        var refused = await ExchangeAsync(Base, wrong, await CodeAsync(Base, client, user));
        Assert.Equal((401, "invalid_client"), (refused.Code, refused.Error));

        var unknown = await ExchangeAsync(Base, client with { ClientId = Guid.NewGuid().ToString() }, await CodeAsync(Base, client, user));
        Assert.Equal((401, "invalid_client"), (unknown.Code, unknown.Error));

        var code = await CodeAsync(Base, client, user);
        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{E(client.ClientId)}:{E(client.Secret!)}"));
        var viaBasic = await TokenAsync(Base, $"grant_type=authorization_code&code={E(code)}&redirect_uri={E(client.RedirectUri)}", basic);
        Assert.Equal(200, viaBasic.Code);

        var badBasic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{client.ClientId}:nope"));
        var refusedBasic = await TokenAsync(Base, $"grant_type=authorization_code&code={E(await CodeAsync(Base, client, user))}&redirect_uri={E(client.RedirectUri)}", badBasic);
        Assert.Equal((401, "invalid_client"), (refusedBasic.Code, refusedBasic.Error));
        Assert.Contains("Basic", refusedBasic.Raw.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_redirect_uri_that_is_not_registered_gets_an_error_page_and_never_a_redirect()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(Base);
        foreach (var url in new[]
                 {
                     AuthorizeUrl(client, redirectUri: client.RedirectUri + "/evil"),
                     AuthorizeUrl(client, redirectUri: "http://127.0.0.1:9/CALLBACK"),
                     AuthorizeUrl(client with { ClientId = Guid.NewGuid().ToString() }),
                     AuthorizeUrl(client with { ClientId = "not-a-client" }),
                 })
        {
            using var response = await browser.GetAsync(url);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("<h1>", await response.Content.ReadAsStringAsync());
        }

        // A program rather than a browser (no text/html in Accept) gets Light's envelope instead of the page.
        var api = await server.Anonymous.GetAsync(AuthorizeUrl(client, redirectUri: "https://evil.example/cb"));
        Assert.Contains("redirect", api.AssertError(400, "BAD_REQUEST")["message"]!.GetValue<string>());

        // At the token endpoint: a code is bound to the redirect URI it was issued for.
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user), redirectUri: client.RedirectUri + "/other");
        Assert.Equal((400, "invalid_grant"), (token.Code, token.Error));
    }

    [Fact]
    public async Task A_code_works_once_and_its_replay_revokes_the_tokens_it_gave()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var code = await CodeAsync(Base, client, user);
        var first = await ExchangeAsync(Base, client, code);
        Assert.Equal(200, first.Code);
        var replay = await ExchangeAsync(Base, client, code);
        Assert.Equal((400, "invalid_grant"), (replay.Code, replay.Error));
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", first.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Equal("invalid_grant", (await RefreshAsync(Base, client, first.RefreshToken)).Error);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var code = await CodeAsync(Base, client, user);
        await using (var cmd = server.Db.CreateCommand("UPDATE oauth_codes SET expires_at = now() - interval '1 second' WHERE code_hash = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Ledgerlight.OAuth.OAuthSecrets.Hash(code) });
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var token = await ExchangeAsync(Base, client, code);
        Assert.Equal((400, "invalid_grant"), (token.Code, token.Error));
        Assert.Contains("expired", token.Json["error_description"]!.GetValue<string>());

        // A day after expiry the row goes when the next code is issued.
        await using (var cmd = server.Db.CreateCommand("UPDATE oauth_codes SET expires_at = now() - interval '2 days' WHERE code_hash = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Ledgerlight.OAuth.OAuthSecrets.Hash(code) });
            await cmd.ExecuteNonQueryAsync();
        }
        await CodeAsync(Base, client, user);
        await using (var cmd = server.Db.CreateCommand("SELECT count(*)::int FROM oauth_codes WHERE code_hash = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Ledgerlight.OAuth.OAuthSecrets.Hash(code) });
            Assert.Equal(0, (int)(await cmd.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task Pkce_S256_is_checked_and_required_for_public_clients()
    {
        var user = await CreateUserAsync(server, server.Company);
        var confidential = await CreateClientAsync(server.Company);
        var (verifier, challenge) = Pkce();
        var mismatch = await ExchangeAsync(Base, confidential, await CodeAsync(Base, confidential, user, challenge), verifier: Pkce().Verifier);
        Assert.Equal((400, "invalid_grant"), (mismatch.Code, mismatch.Error));
        var missing = await ExchangeAsync(Base, confidential, await CodeAsync(Base, confidential, user, challenge));
        Assert.Equal((400, "invalid_grant"), (missing.Code, missing.Error));
        Assert.Equal(200, (await ExchangeAsync(Base, confidential, await CodeAsync(Base, confidential, user, challenge), verifier)).Code);

        var spa = await CreateClientAsync(server.Company, isPublic: true);
        Assert.Null(spa.Secret);
        using var browser = Browser(Base);
        using var noPkce = await browser.GetAsync(AuthorizeUrl(spa, state: "s1"));
        Assert.Equal(302, (int)noPkce.StatusCode);
        var location = noPkce.Headers.Location!.ToString();
        Assert.Equal(("invalid_request", "s1"), (QueryValue(location, "error"), QueryValue(location, "state")));

        var (spaVerifier, spaChallenge) = Pkce();
        var token = await ExchangeAsync(Base, spa, await CodeAsync(Base, spa, user, spaChallenge), spaVerifier);
        Assert.Equal(200, token.Code);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task Refresh_rotates_the_old_token_is_refused_and_reuse_kills_the_chain()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var first = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        var second = await RefreshAsync(Base, client, first.RefreshToken);
        Assert.Equal(200, second.Code);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", second.AccessToken)).AssertOk();

        var reused = await RefreshAsync(Base, client, first.RefreshToken);
        Assert.Equal((400, "invalid_grant"), (reused.Code, reused.Error));
        // RFC 6819 §5.2.2.3: the reuse revoked the whole chain, the legitimate latest tokens included.
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", second.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Equal("invalid_grant", (await RefreshAsync(Base, client, second.RefreshToken)).Error);

        var other = await CreateClientAsync(server.Company);
        var fresh = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        Assert.Equal("invalid_grant", (await RefreshAsync(Base, other, fresh.RefreshToken)).Error);
    }

    [Fact]
    public async Task A_deactivated_users_tokens_stop_at_once()
    {
        var user = await CreateUserAsync(server, server.Company, "SUPERUSER");
        var client = await CreateClientAsync(server.Company);
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertOk();
        (await server.Admin.PutAsync($"/v1/users/{user.Id}/status", new { status = "DEACTIVATED" })).AssertOk();
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Equal("invalid_grant", (await RefreshAsync(Base, client, token.RefreshToken)).Error);
    }

    [Fact]
    public async Task A_revoked_clients_tokens_stop_and_it_can_no_longer_authenticate()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        var code = await CodeAsync(Base, client, user);
        (await server.Viewer.SendAsync(HttpMethod.Delete, $"/v1/oauth-clients/{client.ClientId}")).AssertError(403, "FORBIDDEN");
        var revoked = (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/oauth-clients/{client.ClientId}")).AssertOk();
        Assert.NotNull(revoked["revokedAt"]);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Equal("invalid_client", (await RefreshAsync(Base, client, token.RefreshToken)).Error);
        Assert.Equal("invalid_client", (await ExchangeAsync(Base, client, code)).Error);
        using var browser = Browser(Base);
        Assert.Equal(400, (int)(await browser.GetAsync(AuthorizeUrl(client))).StatusCode);
    }

    [Fact]
    public async Task A_token_reaches_only_its_own_companys_data()
    {
        var other = await server.CreateTenantAsync("Other Co", "EUR");
        var theirVendor = (await other.Admin.PostAsync("/v1/vendors", new { name = "Theirs" })).AssertOk()["vendorId"]!.GetValue<string>();
        var user = await CreateUserAsync(server, server.Company, "SUPERUSER");
        var client = await CreateClientAsync(server.Company);
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        var current = (await WithBearer(server, HttpMethod.Get, "/v1/companies/current", token.AccessToken)).AssertOk();
        Assert.Equal(server.Company.CompanyId.ToString(), current["id"]!.GetValue<string>());
        (await WithBearer(server, HttpMethod.Get, $"/v1/vendors/{theirVendor}", token.AccessToken)).AssertError(404, "NOT_FOUND");

        // A user of the other company cannot sign in through this company's client, even with the right password.
        var stranger = await CreateUserAsync(server, other);
        using var browser = Browser(Base);
        var page = await SignInAsync(browser, AuthorizeUrl(client), stranger.Email, stranger.Password);
        Assert.Contains("The e-mail address or password is incorrect.", page);
        // ... and the other company's client cannot redeem this company's codes.
        var theirClient = await CreateClientAsync(other);
        Assert.Equal("invalid_grant", (await ExchangeAsync(Base, theirClient, await CodeAsync(Base, client, user))).Error);
        // ... nor see its clients.
        Assert.DoesNotContain(client.ClientId, (await other.Admin.GetAsync("/v1/oauth-clients")).Body);
        (await other.Admin.SendAsync(HttpMethod.Delete, $"/v1/oauth-clients/{client.ClientId}")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Token_endpoint_errors_follow_rfc_6749()
    {
        var client = await CreateClientAsync(server.Company);
        var creds = $"client_id={E(client.ClientId)}&client_secret={E(client.Secret!)}";
        Assert.Equal((400, "unsupported_grant_type"), Pair(await TokenAsync(Base, $"grant_type=password&{creds}")));
        var noCode = await TokenAsync(Base, $"grant_type=authorization_code&{creds}");
        Assert.Equal((400, "invalid_request"), Pair(noCode));
        // Light's envelope beside RFC 6749's members: a missing parameter is MISSING_PARAMETER and named.
        Assert.Equal(("MISSING_PARAMETER", "Missing parameter 'code'"), (noCode.Json["type"]!.GetValue<string>(), noCode.Json["message"]!.GetValue<string>()));
        Assert.Equal("code", noCode.Json["errors"]![0]!["path"]![0]!.GetValue<string>());
        Assert.Equal("MISSING_PARAMETER", (await TokenAsync(Base, creds)).Json["type"]!.GetValue<string>());
        Assert.Equal((400, "invalid_request"), Pair(await TokenAsync(Base, $"grant_type=refresh_token&{creds}")));
        Assert.Equal((400, "invalid_grant"), Pair(await TokenAsync(Base, $"grant_type=refresh_token&refresh_token=llrt_nope&{creds}")));
        Assert.Equal((400, "invalid_request"), Pair(await TokenAsync(Base, $"grant_type=refresh_token&grant_type=refresh_token&{creds}")));
        var noClient = await TokenAsync(Base, "grant_type=refresh_token&refresh_token=x");
        Assert.Equal((401, "invalid_client"), Pair(noClient));
        // RFC 6749's members and Light's envelope side by side.
        Assert.Equal(("UNAUTHORIZED", 0), (noClient.Json["type"]!.GetValue<string>(), noClient.Json["errors"]!.AsArray().Count));
        Assert.Equal(noClient.Json["error_description"]!.GetValue<string>(), noClient.Json["message"]!.GetValue<string>());

        using var http = new HttpClient { BaseAddress = Base };
        using var json = await http.PostAsync("/oauth/token", new StringContent("{\"grant_type\":\"refresh_token\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)json.StatusCode);
        Assert.Contains("invalid_request", await json.Content.ReadAsStringAsync());

        // A program asking for the sign-in page without saying which application gets the envelope naming client_id.
        using var noClientId = await http.GetAsync("/oauth/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=s");
        var envelope = System.Text.Json.Nodes.JsonNode.Parse(await noClientId.Content.ReadAsStringAsync())!;
        Assert.Equal((400, "MISSING_PARAMETER", "client_id"),
            ((int)noClientId.StatusCode, envelope["type"]!.GetValue<string>(), envelope["errors"]![0]!["path"]![0]!.GetValue<string>()));
    }

    static (int, string?) Pair(TokenResponse r) => (r.Code, r.Error);
}
