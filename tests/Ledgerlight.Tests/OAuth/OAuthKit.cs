using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ledgerlight.Organization.Users;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.OAuth;

public sealed record OAuthUser(Guid Id, string Email, string Password);

public sealed record RegisteredClient(string ClientId, string? Secret, string RedirectUri);

/// <summary>A token endpoint answer: status, JSON body and headers.</summary>
public sealed record TokenResponse(int Code, JsonNode Json, HttpResponseMessage Raw)
{
    public string? Error => Json["error"]?.GetValue<string>();
    public string AccessToken => Json["access_token"]!.GetValue<string>();
    public string RefreshToken => Json["refresh_token"]!.GetValue<string>();
}

/// <summary>
/// What the OAuth tests share: a user with a password (set through the real welcome-link path), a
/// registered client, the authorize flow driven over plain HTTP like a browser would (cookies, the CSRF
/// field, sign-in, consent), and the token endpoint called with the seed's form.
/// </summary>
public static partial class OAuthKit
{
    public const string Password = "correct horse battery staple";

    public static async Task<OAuthUser> CreateUserAsync(ApiServer server, Tenant tenant, params string[] roles)
    {
        var email = $"ada.{Guid.NewGuid().ToString("N")[..8]}@acme.example";
        var id = Guid.Parse((await tenant.Admin.PostAsync("/v1/users", new { email, firstName = "Ada", lastName = "Lovelace", roles }))
            .AssertOk()["id"]!.GetValue<string>());
        var links = new PasswordSetupStore(server.Db, TimeProvider.System);
        var link = await links.IssueAsync(tenant.CompanyId, id, CancellationToken.None) ?? throw new InvalidOperationException("no link");
        Assert.True(await links.RedeemAsync(link.Token, Password, CancellationToken.None));
        return new OAuthUser(id, email, Password);
    }

    public static async Task<RegisteredClient> CreateClientAsync(Tenant tenant, bool isPublic = false, string redirectUri = "http://127.0.0.1:9/callback")
    {
        var created = (await tenant.Admin.PostAsync("/v1/oauth-clients", new { name = "Acme Sync", redirectUris = new[] { redirectUri }, isPublic })).AssertOk();
        return new RegisteredClient(created["id"]!.GetValue<string>(), created["clientSecret"]?.GetValue<string>(), redirectUri);
    }

    /// <summary>An HTTP client that behaves like a browser: keeps cookies, asks for HTML, does not follow redirects.</summary>
    public static HttpClient Browser(Uri baseAddress)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
            { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return http;
    }

    public static string AuthorizeUrl(RegisteredClient client, string? state = "xyz", string? challenge = null, string? redirectUri = null) =>
        $"/oauth/authorize?client_id={Uri.EscapeDataString(client.ClientId)}&redirect_uri={Uri.EscapeDataString(redirectUri ?? client.RedirectUri)}" +
        (state is null ? "" : $"&state={Uri.EscapeDataString(state)}") +
        (challenge is null ? "" : $"&code_challenge={challenge}&code_challenge_method=S256");

    [GeneratedRegex("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();

    /// <summary>The hidden fields of the page's first form (the authorize request and the CSRF token).</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match m in HiddenField().Matches(html)) fields.TryAdd(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value));
        return fields;
    }

    public static async Task<(int Code, string Body, string? Location)> PostFormAsync(HttpClient browser, string path, Dictionary<string, string> fields)
    {
        using var response = await browser.PostAsync(path, new FormUrlEncodedContent(fields));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
    }

    /// <summary>Signs in on the authorize page; answers the page shown afterwards (the consent screen on success).</summary>
    public static async Task<string> SignInAsync(HttpClient browser, string authorizeUrl, string email, string password)
    {
        var page = await browser.GetStringAsync(authorizeUrl);
        var fields = HiddenFields(page);
        fields["email"] = email;
        fields["password"] = password;
        var (code, body, location) = await PostFormAsync(browser, "/oauth/authorize", fields);
        if (code == 302) return await browser.GetStringAsync(location!);
        return body;
    }

    /// <summary>The whole browser part: sign in, allow; answers the URL the server redirects to.</summary>
    public static async Task<string> AuthorizeAsync(Uri baseAddress, RegisteredClient client, OAuthUser user, string? state = "xyz", string? challenge = null)
    {
        using var browser = Browser(baseAddress);
        var consent = await SignInAsync(browser, AuthorizeUrl(client, state, challenge), user.Email, user.Password);
        Assert.Contains("wants to access", consent);
        var fields = HiddenFields(consent);
        fields["action"] = "allow";
        var (code, _, location) = await PostFormAsync(browser, "/oauth/authorize", fields);
        Assert.Equal(302, code);
        return location!;
    }

    public static string? QueryValue(string url, string name)
    {
        var query = new Uri(url).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries);
        return query.Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();
    }

    public static async Task<string> CodeAsync(Uri baseAddress, RegisteredClient client, OAuthUser user, string? challenge = null) =>
        QueryValue(await AuthorizeAsync(baseAddress, client, user, "xyz", challenge), "code") ?? throw new InvalidOperationException("no code");

    /// <summary>POST /oauth/token with a form body, exactly as the seed's curl sends it.</summary>
    public static async Task<TokenResponse> TokenAsync(Uri baseAddress, string form, string? authorization = null, string path = "/oauth/token")
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(form, Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new TokenResponse((int)response.StatusCode, JsonNode.Parse(body)!, response);
    }

    public static string E(string s) => Uri.EscapeDataString(s);

    /// <summary>The seed's authorization_code request: grant_type, code, redirect_uri, client_id, client_secret.</summary>
    public static Task<TokenResponse> ExchangeAsync(Uri baseAddress, RegisteredClient client, string code, string? verifier = null, string? redirectUri = null) =>
        TokenAsync(baseAddress, $"grant_type=authorization_code&code={E(code)}&redirect_uri={E(redirectUri ?? client.RedirectUri)}&client_id={E(client.ClientId)}" +
                                (client.Secret is null ? "" : $"&client_secret={E(client.Secret)}") + (verifier is null ? "" : $"&code_verifier={E(verifier)}"));

    /// <summary>The seed's refresh_token request.</summary>
    public static Task<TokenResponse> RefreshAsync(Uri baseAddress, RegisteredClient client, string refreshToken) =>
        TokenAsync(baseAddress, $"grant_type=refresh_token&refresh_token={E(refreshToken)}&client_id={E(client.ClientId)}" +
                                (client.Secret is null ? "" : $"&client_secret={E(client.Secret)}"));

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (verifier, challenge);
    }

    /// <summary>A /v1 call with "Authorization: Bearer ..." (the response is schema-checked like every ApiClient call).</summary>
    public static Task<ApiResponse> WithBearer(ApiServer server, HttpMethod method, string path, string accessToken, object? body = null) =>
        server.Anonymous.SendAsync(method, path, body, authorization: $"Bearer {accessToken}");
}
