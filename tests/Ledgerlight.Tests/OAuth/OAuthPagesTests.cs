using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.OAuth.OAuthKit;

namespace Ledgerlight.Tests.OAuth;

/// <summary>The sign-in and consent pages (cookies, CSRF, lockout, deny), revocation, and the admin view of grants.</summary>
public class OAuthPagesTests(OAuthServer server) : IClassFixture<OAuthServer>
{
    Uri Base => server.BaseAddress;

    [Fact]
    public async Task Cookies_are_httponly_and_samesite_and_pages_refuse_framing()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(Base);
        using var page = await browser.GetAsync(AuthorizeUrl(client));
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var csrfCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ll_oauth_csrf="));
        Assert.Contains("httponly", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", csrfCookie, StringComparison.OrdinalIgnoreCase); // plain HTTP here; HTTPS sets Secure

        var fields = HiddenFields(await page.Content.ReadAsStringAsync());
        fields["email"] = user.Email;
        fields["password"] = user.Password;
        using var signIn = await browser.PostAsync("/oauth/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(302, (int)signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ll_oauth_session="));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/oauth", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_account_can_be_chosen_and_an_unsupported_response_type_goes_back_to_the_client()
    {
        var first = await CreateUserAsync(server, server.Company);
        var second = await CreateUserAsync(server, server.Company, "AP_CLERK");
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(Base);
        var consent = await SignInAsync(browser, AuthorizeUrl(client), first.Email, first.Password);
        Assert.Contains(first.Email, consent);
        var fields = HiddenFields(consent);
        fields["action"] = "switch";
        var (code, signInPage, _) = await PostFormAsync(browser, "/oauth/authorize", fields);
        Assert.Equal(200, code);
        Assert.Contains("name=\"password\"", signInPage);
        // The old session is closed: the authorize link shows the sign-in form again.
        Assert.Contains("name=\"password\"", await browser.GetStringAsync(AuthorizeUrl(client)));
        var again = await SignInAsync(browser, AuthorizeUrl(client), second.Email, second.Password);
        Assert.Contains(second.Email, again);
        Assert.Contains("AP_CLERK", again);

        using var token = await browser.GetAsync(AuthorizeUrl(client, state: "s2") + "&response_type=token");
        Assert.Equal(302, (int)token.StatusCode);
        var location = token.Headers.Location!.ToString();
        Assert.Equal(("unsupported_response_type", "s2"), (QueryValue(location, "error"), QueryValue(location, "state")));
    }

    [Fact]
    public async Task A_form_without_the_csrf_token_is_refused()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(Base);
        var consent = await SignInAsync(browser, AuthorizeUrl(client), user.Email, user.Password);
        foreach (var csrf in new string?[] { null, "", "forged-value-forged-value-forged" })
        {
            var fields = HiddenFields(consent);
            if (csrf is null) fields.Remove("csrf"); else fields["csrf"] = csrf;
            fields["action"] = "allow";
            var (code, body, location) = await PostFormAsync(browser, "/oauth/authorize", fields);
            Assert.Equal(403, code);
            Assert.Null(location);
            Assert.Contains("This form has expired", body);
        }
        // A sign-in form posted from elsewhere (no cookie at all) is refused as well.
        using var stranger = Browser(Base);
        var form = HiddenFields(consent);
        form["email"] = user.Email;
        form["password"] = user.Password;
        Assert.Equal(403, (await PostFormAsync(stranger, "/oauth/authorize", form)).Code);
    }

    [Fact]
    public async Task Deny_sends_access_denied_with_the_state_back()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(Base);
        var consent = await SignInAsync(browser, AuthorizeUrl(client, state: "keep-me"), user.Email, user.Password);
        Assert.Contains("Acme Sync", consent);
        Assert.Contains("Acme Test Corp", consent);
        var fields = HiddenFields(consent);
        fields["action"] = "deny";
        var (code, _, location) = await PostFormAsync(browser, "/oauth/authorize", fields);
        Assert.Equal(302, code);
        Assert.StartsWith(client.RedirectUri + "?", location);
        Assert.Equal(("access_denied", "keep-me", null), (QueryValue(location!, "error"), QueryValue(location!, "state"), QueryValue(location!, "code")));
    }

    [Fact]
    public async Task Repeated_failures_lock_the_address_without_telling_whether_it_exists()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(Base);
        var unknownEmail = $"nobody-{Guid.NewGuid():N}@example.com";
        foreach (var email in new[] { user.Email, unknownEmail })
        {
            for (var i = 1; i <= 4; i++)
                Assert.Contains("The e-mail address or password is incorrect.", await SignInAsync(browser, AuthorizeUrl(client), email, "wrong password " + i));
            Assert.Contains("Too many failed sign-in attempts. Try again in 15 minutes.", await SignInAsync(browser, AuthorizeUrl(client), email, "wrong password 5"));
        }
        // While locked, even the right password does not sign in.
        var locked = await SignInAsync(browser, AuthorizeUrl(client), user.Email, user.Password);
        Assert.Contains("Too many failed sign-in attempts", locked);
        Assert.DoesNotContain("wants to access", locked);
    }

    [Fact]
    public async Task A_user_without_a_password_or_deactivated_fails_like_a_wrong_password()
    {
        var client = await CreateClientAsync(server.Company);
        var noPassword = $"fresh-{Guid.NewGuid():N}@example.com";
        (await server.Admin.PostAsync("/v1/users", new { email = noPassword })).AssertOk();
        var deactivated = await CreateUserAsync(server, server.Company);
        (await server.Admin.PutAsync($"/v1/users/{deactivated.Id}/status", new { status = "DEACTIVATED" })).AssertOk();
        using var browser = Browser(Base);
        Assert.Contains("The e-mail address or password is incorrect.", await SignInAsync(browser, AuthorizeUrl(client), noPassword, Password));
        Assert.Contains("The e-mail address or password is incorrect.", await SignInAsync(browser, AuthorizeUrl(client), deactivated.Email, deactivated.Password));
    }

    [Fact]
    public async Task Revocation_endpoint_ends_a_refresh_tokens_grant_or_a_single_access_token()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var creds = $"client_id={E(client.ClientId)}&client_secret={E(client.Secret!)}";

        var a = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        Assert.Equal(200, (await TokenAsync(Base, $"token={E(a.AccessToken)}&token_type_hint=access_token&{creds}", path: "/oauth/revoke")).Code);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", a.AccessToken)).AssertError(401, "UNAUTHORIZED");
        var renewed = await RefreshAsync(Base, client, a.RefreshToken);
        Assert.Equal(200, renewed.Code); // the grant lives on: only that access token was revoked
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", renewed.AccessToken)).AssertOk();

        Assert.Equal(200, (await TokenAsync(Base, $"token={E(renewed.RefreshToken)}&{creds}", path: "/oauth/revoke")).Code);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", renewed.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Equal("invalid_grant", (await RefreshAsync(Base, client, renewed.RefreshToken)).Error);

        // RFC 7009 §2.2: an unknown token is no error; a wrong secret is.
        Assert.Equal(200, (await TokenAsync(Base, $"token=llat_unknown&{creds}", path: "/oauth/revoke")).Code);
        Assert.Equal(401, (await TokenAsync(Base, $"token=llat_unknown&client_id={E(client.ClientId)}&client_secret=nope", path: "/oauth/revoke")).Code);
    }

    [Fact]
    public async Task A_grant_revoked_outside_the_server_stops_its_cached_token_within_a_second()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertOk(); // now cached

        // Plain SQL, as another instance or an operator would: only the NOTIFY trigger tells this server.
        await using (var cmd = server.Db.CreateCommand("UPDATE oauth_grants SET revoked_at = now() WHERE user_id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user.Id });
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var deadline = DateTime.UtcNow.AddSeconds(1);
        ApiResponse answer;
        do answer = await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken);
        while (answer.Code == 200 && DateTime.UtcNow < deadline);
        answer.AssertError(401, "UNAUTHORIZED");
    }

    [Fact]
    public async Task An_admin_sees_a_users_active_grants_and_revokes_one()
    {
        var user = await CreateUserAsync(server, server.Company);
        var client = await CreateClientAsync(server.Company);
        var token = await ExchangeAsync(Base, client, await CodeAsync(Base, client, user));
        var grants = (await server.Admin.GetAsync($"/v1/users/{user.Id}/oauth-grants")).AssertOk().AsArray();
        var grant = Assert.Single(grants)!;
        Assert.Equal(client.ClientId, grant["clientId"]!.GetValue<string>());
        Assert.Equal("Acme Sync", grant["clientName"]!.GetValue<string>());
        (await server.Viewer.GetAsync($"/v1/users/{user.Id}/oauth-grants")).AssertError(403, "FORBIDDEN");

        var other = await server.CreateTenantAsync("Grant Outsider", "USD");
        (await other.Admin.SendAsync(HttpMethod.Delete, $"/v1/oauth-grants/{grant["id"]}")).AssertError(404, "NOT_FOUND");
        // Another company's user, like an unknown one, is not there for this admin.
        (await other.Admin.GetAsync($"/v1/users/{user.Id}/oauth-grants")).AssertError(404, "NOT_FOUND");
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertOk();

        var revoked = (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/oauth-grants/{grant["id"]}")).AssertOk();
        Assert.NotNull(revoked["revokedAt"]);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", token.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Empty((await server.Admin.GetAsync($"/v1/users/{user.Id}/oauth-grants")).AssertOk().AsArray());
    }

    [Fact]
    public async Task Client_registration_validates_its_input()
    {
        (await server.Admin.PostAsync("/v1/oauth-clients", new { name = "x" })).AssertError(400, "BAD_REQUEST");
        var fragment = (await server.Admin.PostAsync("/v1/oauth-clients", new { name = "x", redirectUris = new[] { "https://a.example/cb#frag" } })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("redirectUris", fragment["errors"]![0]!["path"]![0]!.GetValue<string>());
        (await server.Admin.PostAsync("/v1/oauth-clients", new { name = "x", redirectUris = new[] { "/relative" } })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync("/v1/oauth-clients", new { name = "x", redirectUris = new[] { "javascript:alert(1)" } })).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.PostAsync("/v1/oauth-clients", new { name = "x", redirectUris = new[] { "https://a.example/cb" } })).AssertError(403, "FORBIDDEN");
        // The answer holds the secret, so it must not be kept for replay under an idempotency key.
        var key = Guid.NewGuid().ToString();
        (await server.Admin.PostAsync("/v1/oauth-clients", new { name = "x", redirectUris = new[] { "https://a.example/cb" } },
            new Dictionary<string, string> { ["X-Idempotency-Key"] = key })).AssertError(400, "BAD_REQUEST");
        await using (var cmd = server.Db.CreateCommand("SELECT count(*)::int FROM idempotency_keys WHERE response_body IS NOT NULL AND convert_from(response_body, 'UTF8') LIKE '%llcs%'"))
            Assert.Equal(0, (int)(await cmd.ExecuteScalarAsync())!);
        var listed = (await server.Admin.GetAsync("/v1/oauth-clients")).AssertOk();
        Assert.DoesNotContain("llcs_", listed.ToJsonString());
    }
}

/// <summary>Behind a TLS-terminating proxy the public URL is https: the cookies must be Secure although the request is plain HTTP.</summary>
public sealed class OAuthHttpsServer : OAuthServer
{
    protected override Ledgerlight.Hosting.ServerOptions Customize(Ledgerlight.Hosting.ServerOptions options) => options with { PublicUrl = "https://books.example" };
}

public class OAuthSecureCookieTests(OAuthHttpsServer server) : IClassFixture<OAuthHttpsServer>
{
    [Fact]
    public async Task Cookies_are_secure_when_the_server_is_reached_over_https()
    {
        var client = await CreateClientAsync(server.Company);
        using var browser = Browser(server.BaseAddress);
        using var page = await browser.GetAsync(AuthorizeUrl(client));
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ll_oauth_csrf="));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
