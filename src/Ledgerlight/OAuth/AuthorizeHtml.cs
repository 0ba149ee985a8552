using System.Net;

namespace Ledgerlight.OAuth;

/// <summary>
/// The markup of the authorize pages: sign-in, consent and error. Self-contained (inline style, no
/// script, no external assets); every dynamic value is HTML-encoded. The hidden fields carry the
/// authorize request and the CSRF token through each form.
/// </summary>
public static class AuthorizeHtml
{
    public static string SignIn(AuthorizeRequest request, OAuthClient client, string csrf, string? email, string? error) => Page("Sign in", $"""
        <p class="eyebrow">{E(client.CompanyName)}</p>
        <h1>Sign in to continue to <span class="app">{E(client.Name)}</span></h1>
        <p class="lead">Use your Ledgerlight e-mail address and password.</p>
        {Alert(error)}
        <form method="post" action="{AuthorizePages.Path}" autocomplete="on">
          {Hidden(request, csrf)}
          <input type="hidden" name="action" value="sign-in">
          <label for="email">E-mail address</label>
          <input id="email" type="email" name="email" value="{E(email ?? "")}" maxlength="255" required autocomplete="username" autofocus>
          <label for="password">Password</label>
          <input id="password" type="password" name="password" maxlength="1024" required autocomplete="current-password">
          <button type="submit" class="primary">Sign in</button>
        </form>
        <p class="fine">Forgot your password? Ask your administrator to send you a new welcome e-mail.</p>
        """);

    public static string Consent(AuthorizeRequest request, OAuthClient client, SessionUser user, string role, string redirectUri, string csrf) =>
        Page("Allow access", $"""
        <div class="pair"><span class="badge app-badge">{E(Initials(client.Name))}</span><span class="link">⟷</span><span class="badge">{E(Initials(client.CompanyName))}</span></div>
        <h1><span class="app">{E(client.Name)}</span> wants to access {E(client.CompanyName)}</h1>
        <p class="lead">Signed in as <strong>{E(user.DisplayName)}</strong> ({E(user.Email)})</p>
        <div class="scopes">
          <p class="scopes-title">It will act as you, with your role <strong>{E(role)}</strong>, and may:</p>
          <ul>{string.Concat(OAuthRules.Describe(role).Select(d => $"<li>{E(d)}</li>"))}</ul>
        </div>
        <p class="fine">You will be sent back to <strong>{E(Host(redirectUri))}</strong>. An administrator can revoke this access at any time.</p>
        <form method="post" action="{AuthorizePages.Path}" class="buttons">
          {Hidden(request, csrf)}
          <button type="submit" name="action" value="deny" class="secondary">Deny</button>
          <button type="submit" name="action" value="allow" class="primary">Allow access</button>
        </form>
        <form method="post" action="{AuthorizePages.Path}" class="switch">
          {Hidden(request, csrf)}
          <button type="submit" name="action" value="switch" class="text">Not you? Use another account</button>
        </form>
        """);

    public static string Error(string title, string text) => Page(title, $"""
        <div class="pair"><span class="badge warn">!</span></div>
        <h1>{E(title)}</h1>
        <p class="lead">{E(text)}</p>
        <p class="fine">If you followed a link from an application, tell its developer; the link is not valid for this server.</p>
        """);

    static string Alert(string? error) => error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>";

    static string Hidden(AuthorizeRequest r, string csrf) => string.Concat(new[]
        {
            ("client_id", r.ClientId), ("redirect_uri", r.RedirectUri), ("state", r.State), ("response_type", r.ResponseType),
            ("code_challenge", r.CodeChallenge), ("code_challenge_method", r.CodeChallengeMethod), ("scope", r.Scope), ("csrf", csrf),
        }
        .Where(f => f.Item2 is not null)
        .Select(f => $"<input type=\"hidden\" name=\"{f.Item1}\" value=\"{E(f.Item2!)}\">"));

    static string Initials(string name) =>
        string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0]))) is { Length: > 0 } i ? i : "?";

    static string Host(string uri) => Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Host.Length > 0 ? u.Authority : uri;

    static string E(string s) => HtmlPages.E(s);

    static string Page(string title, string content) => HtmlPages.Page(title, content, HtmlPages.OAuthFooter);

}
