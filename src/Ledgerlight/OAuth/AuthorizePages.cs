using Microsoft.Extensions.Primitives;

namespace Ledgerlight.OAuth;

/// <summary>The parameters of an authorize request, from the query (GET) or the hidden fields (POST).</summary>
public sealed record AuthorizeRequest(string? ClientId, string? RedirectUri, string? State, string? ResponseType,
    string? CodeChallenge, string? CodeChallengeMethod, string? Scope)
{
    public static AuthorizeRequest From(Func<string, StringValues> get)
    {
        string? V(string name) => get(name) is { Count: 1 } v && v[0] is { Length: > 0 } s ? s : null;
        return new(V("client_id"), V("redirect_uri"), V("state"), V("response_type"), V("code_challenge"), V("code_challenge_method"), V("scope"));
    }

    /// <summary>The GET URL that shows this request again (after a sign-in: post/redirect/get).</summary>
    public string Url => OAuthRules.AppendQuery(AuthorizePages.Path, [
        new("client_id", ClientId), new("redirect_uri", RedirectUri), new("state", State), new("response_type", ResponseType),
        new("code_challenge", CodeChallenge), new("code_challenge_method", CodeChallengeMethod), new("scope", Scope)]);
}

/// <summary>
/// GET /oauth/authorize (Light's startOAuthAuthorizationFlow) and the POST its forms send: sign in,
/// then allow or deny. A request whose client or redirect URI is not registered gets an error page and
/// never a redirect (RFC 6749 §4.1.2.1); every other error goes back to the client's redirect URI.
/// Forms are protected by a double-submit CSRF cookie: a random value in an HttpOnly cookie that
/// each form repeats in a hidden field (stateless, so any server instance can check it).
/// </summary>
public static class AuthorizePages
{
    public const string Path = "/oauth/authorize";
    const string SessionCookie = "ll_oauth_session";
    const string CsrfCookie = "ll_oauth_csrf";
    const int MaxFormBytes = 16 * 1024;

    public static void MapAuthorizePages(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext ctx, OAuthClientStore clients, SignInStore signIn, OAuthOptions options) =>
        {
            var request = AuthorizeRequest.From(n => ctx.Request.Query[n]);
            var (client, redirect, failure) = await ValidateAsync(request, clients, ctx.RequestAborted);
            // A program (no text/html in Accept) that sends a bad link gets Light's JSON envelope; a person, the page.
            if (failure is HtmlPage page && !ctx.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
                throw request.ClientId is null ? ApiException.MissingParameter("client_id") : ApiException.BadRequest(page.Title);
            if (failure is not null) return failure;
            var csrf = EnsureCsrf(ctx, options);
            var user = await signIn.FindSessionAsync(ctx.Request.Cookies[SessionCookie], client!.CompanyId, ctx.RequestAborted);
            return user is null
                ? Html(200, AuthorizeHtml.SignIn(request, client, csrf, null, null))
                : Html(200, AuthorizeHtml.Consent(request, client, user, OAuthRules.ApiRole(user.Roles), redirect!, csrf));
        }).WithName("startOAuthAuthorizationFlow");

        app.MapPost(Path, async (HttpContext ctx, OAuthClientStore clients, SignInStore signIn, OAuthTokenStore tokens, OAuthOptions options, TimeProvider clock) =>
        {
            if (!ctx.Request.HasFormContentType || ctx.Request.ContentLength is null or > MaxFormBytes)
                return Html(400, AuthorizeHtml.Error("The form could not be read", "Go back to the application and start signing in again."));
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            var csrf = ctx.Request.Cookies[CsrfCookie];
            if (!OAuthSecrets.FixedTimeEquals(csrf, form["csrf"].ToString()) || string.IsNullOrEmpty(csrf))
                return Html(403, AuthorizeHtml.Error("This form has expired", "For your security the form was refused. Go back to the application and start again."));
            var request = AuthorizeRequest.From(n => form[n]);
            var (client, redirect, failure) = await ValidateAsync(request, clients, ctx.RequestAborted);
            if (failure is not null) return failure;

            var sessionToken = ctx.Request.Cookies[SessionCookie];
            switch (form["action"].ToString())
            {
                case "sign-in":
                    return await SignInAsync(ctx, request, client!, csrf!, form, signIn, options, clock);
                case "switch":
                    await signIn.CloseSessionAsync(sessionToken, ctx.RequestAborted);
                    ctx.Response.Cookies.Delete(SessionCookie, CookieOptions(ctx, options, null));
                    return Html(200, AuthorizeHtml.SignIn(request, client!, csrf!, null, null));
                case "deny":
                    return Results.Redirect(ToClient(redirect!, request.State, ("error", OAuthErrors.AccessDenied),
                        ("error_description", "The user denied access")));
                case "allow":
                    var user = await signIn.FindSessionAsync(sessionToken, client!.CompanyId, ctx.RequestAborted);
                    if (user is null) return Html(200, AuthorizeHtml.SignIn(request, client, csrf!, null, "Your session has ended. Sign in again."));
                    var code = await tokens.IssueCodeAsync(client, user.UserId, redirect!, request.CodeChallenge, ctx.RequestAborted);
                    return Results.Redirect(ToClient(redirect!, request.State, ("code", code)));
                default:
                    return Html(400, AuthorizeHtml.Error("The form could not be read", "Go back to the application and start signing in again."));
            }
        });
    }

    static async Task<IResult> SignInAsync(HttpContext ctx, AuthorizeRequest request, OAuthClient client, string csrf, IFormCollection form,
        SignInStore signIn, OAuthOptions options, TimeProvider clock)
    {
        var email = form["email"].ToString();
        var password = form["password"].ToString();
        if (email.Length is 0 or > 255 || password.Length is 0 or > 1024)
            return Html(200, AuthorizeHtml.SignIn(request, client, csrf, email.Length > 255 ? null : email, "Enter your e-mail address and password."));
        var result = await signIn.SignInAsync(client.CompanyId, email, password, ctx.RequestAborted);
        switch (result.Status)
        {
            case SignInStatus.Ok:
                var token = await signIn.OpenSessionAsync(client.CompanyId, result.UserId!.Value, ctx.RequestAborted);
                ctx.Response.Cookies.Append(SessionCookie, token, CookieOptions(ctx, options, options.SessionLifetime));
                // Post/redirect/get: the consent screen is a GET, so reloading it never re-posts the password.
                return Results.Redirect(request.Url);
            case SignInStatus.Locked:
                var minutes = Math.Max(1, (int)Math.Ceiling((result.LockedUntil!.Value - clock.GetUtcNow().UtcDateTime).TotalMinutes));
                return Html(200, AuthorizeHtml.SignIn(request, client, csrf, email,
                    $"Too many failed sign-in attempts. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}."));
            default:
                return Html(200, AuthorizeHtml.SignIn(request, client, csrf, email, "The e-mail address or password is incorrect."));
        }
    }

    /// <summary>
    /// Client and redirect URI first (an error page, never a redirect, when either is unknown); then
    /// the rest of the request, whose errors go back to the client with its state.
    /// </summary>
    static async Task<(OAuthClient? Client, string? Redirect, IResult? Failure)> ValidateAsync(AuthorizeRequest request, OAuthClientStore clients, CancellationToken ct)
    {
        var client = await clients.FindAsync(request.ClientId, ct);
        if (client is not { IsActive: true })
            return (null, null, ErrorPage("Unknown application", "This sign-in link names an application that is not registered, or was revoked."));
        var redirect = OAuthRules.ResolveRedirect(client.RedirectUris, request.RedirectUri);
        if (redirect is null)
            return (null, null, ErrorPage("Invalid redirect address", "The address this sign-in link would return to is not registered for the application."));
        if (request.State is { Length: > OAuthRules.MaxStateLength })
            return (null, null, ErrorPage("Invalid sign-in link", "The link's state parameter is too long."));
        if (request.ResponseType is { } type && type != "code")
            return (client, redirect, Results.Redirect(ToClient(redirect, request.State, ("error", OAuthErrors.UnsupportedResponseType),
                ("error_description", "Only response_type=code is supported"))));
        if (OAuthRules.ChallengeProblem(request.CodeChallenge, request.CodeChallengeMethod, client.IsPublic) is { } problem)
            return (client, redirect, Results.Redirect(ToClient(redirect, request.State, ("error", OAuthErrors.InvalidRequest), ("error_description", problem))));
        return (client, redirect, null);
    }

    static string ToClient(string redirect, string? state, params (string Key, string Value)[] parameters) =>
        OAuthRules.AppendQuery(redirect, parameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))
            .Append(new KeyValuePair<string, string?>("state", state)));

    static string EnsureCsrf(HttpContext ctx, OAuthOptions options)
    {
        if (ctx.Request.Cookies[CsrfCookie] is { Length: > 20 and < 100 } existing) return existing;
        var token = OAuthSecrets.Generate("");
        ctx.Response.Cookies.Append(CsrfCookie, token, CookieOptions(ctx, options, null));
        return token;
    }

    /// <summary>
    /// HttpOnly, Secure whenever served over HTTPS (directly, or behind a proxy when the public URL is
    /// https), SameSite=Lax: the cookie rides along the top-level navigation from the client's site to
    /// this page (Strict would ask a signed-in user to sign in again), but never on a cross-site POST,
    /// which is what CSRF would need.
    /// </summary>
    static CookieOptions CookieOptions(HttpContext ctx, OAuthOptions options, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        Secure = ctx.Request.IsHttps || options.PublicUrlIsHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/oauth",
        MaxAge = lifetime,
        IsEssential = true,
    };

    static IResult Html(int status, string body) => HtmlPages.Result(status, body, formsPostHere: false);

    static HtmlPage ErrorPage(string title, string text) => new($"{title}: {text}", AuthorizeHtml.Error(title, text));

    /// <summary>A bad authorize link: its page for a person, its <see cref="Title"/> for the JSON envelope a program gets.</summary>
    sealed record HtmlPage(string Title, string Body) : IResult
    {
        public Task ExecuteAsync(HttpContext ctx) => HtmlPages.Result(400, Body, formsPostHere: false).ExecuteAsync(ctx);
    }
}
