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

    static string E(string s) => WebUtility.HtmlEncode(s);

    static string Page(string title, string content) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{E(title)}} · Ledgerlight</title>
        <style>
          * { box-sizing: border-box; }
          body { font-family: "Inter", system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; min-height: 100vh; color: #172033;
                 background: radial-gradient(circle at 15% 10%, #dfe8ff 0, transparent 40%), radial-gradient(circle at 85% 90%, #e4f6ef 0, transparent 45%), #f5f7fb;
                 display: flex; flex-direction: column; align-items: center; justify-content: center; padding: 2rem 1rem; }
          .brand { display: flex; align-items: center; gap: .6rem; font-weight: 700; font-size: 1.15rem; letter-spacing: -.01em; margin-bottom: 1.4rem; color: #172033; }
          .mark { width: 2rem; height: 2rem; border-radius: .6rem; background: linear-gradient(135deg, #3b6cf6, #20b486); box-shadow: 0 4px 12px rgba(59,108,246,.35); position: relative; }
          .mark::after { content: ""; position: absolute; left: .55rem; top: .45rem; width: .9rem; height: 1.1rem; border-left: .22rem solid #fff; border-bottom: .22rem solid #fff; border-radius: 0 0 0 .15rem; }
          main { width: 100%; max-width: 27rem; background: #fff; border-radius: 1rem; padding: 2.2rem 2.2rem 1.8rem; box-shadow: 0 1px 2px rgba(16,24,40,.06), 0 12px 32px rgba(16,24,40,.08); border: 1px solid #e6e9f0; }
          h1 { font-size: 1.35rem; line-height: 1.35; margin: 0 0 .5rem; letter-spacing: -.015em; }
          .app { color: #2f5be0; }
          .eyebrow { margin: 0 0 .4rem; font-size: .78rem; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; color: #6b7487; }
          .lead { margin: 0 0 1.4rem; color: #4a5468; font-size: .95rem; overflow-wrap: anywhere; }
          label { display: block; font-weight: 600; font-size: .88rem; margin: 1rem 0 .35rem; }
          input[type=email], input[type=password] { display: block; width: 100%; padding: .72rem .8rem; font-size: 1rem; border: 1px solid #cdd3de; border-radius: .55rem; background: #fbfcfe; color: #172033; }
          input:focus { outline: none; border-color: #3b6cf6; box-shadow: 0 0 0 3px rgba(59,108,246,.18); background: #fff; }
          button { font: inherit; cursor: pointer; border-radius: .55rem; padding: .75rem 1rem; font-size: .98rem; font-weight: 600; border: 1px solid transparent; }
          .primary { background: #2f5be0; color: #fff; width: 100%; margin-top: 1.5rem; box-shadow: 0 1px 2px rgba(16,24,40,.1); }
          .primary:hover { background: #2449b8; }
          .secondary { background: #fff; color: #2a3346; border-color: #cdd3de; }
          .secondary:hover { background: #f3f5f9; }
          .buttons { display: grid; grid-template-columns: 1fr 1.6fr; gap: .75rem; margin-top: 1.4rem; }
          .buttons .primary { margin-top: 0; }
          .switch { text-align: center; margin-top: .9rem; }
          .text { background: none; border: 0; color: #2f5be0; font-weight: 500; font-size: .88rem; padding: .3rem; }
          .error { color: #9b1c1c; background: #fdeeee; border: 1px solid #f5c7c7; padding: .7rem .8rem; border-radius: .55rem; font-size: .92rem; margin: 0 0 .5rem; }
          .fine { color: #6b7487; font-size: .82rem; margin: 1.2rem 0 0; line-height: 1.5; }
          .pair { display: flex; align-items: center; gap: .7rem; margin-bottom: 1.2rem; }
          .badge { width: 3rem; height: 3rem; border-radius: .8rem; display: inline-flex; align-items: center; justify-content: center; font-weight: 700; font-size: 1.05rem;
                   background: #e9eefc; color: #2f5be0; border: 1px solid #d5def8; }
          .app-badge { background: linear-gradient(135deg, #3b6cf6, #6d8df8); color: #fff; border: 0; }
          .badge.warn { background: #fff4e5; color: #b45309; border-color: #fde2b8; }
          .link { color: #98a1b3; font-size: 1.2rem; }
          .scopes { background: #f7f9fc; border: 1px solid #e6e9f0; border-radius: .7rem; padding: 1rem 1.1rem; }
          .scopes-title { margin: 0 0 .6rem; font-size: .9rem; color: #2a3346; }
          .scopes ul { margin: 0; padding: 0; list-style: none; }
          .scopes li { position: relative; padding-left: 1.6rem; margin: .45rem 0; font-size: .92rem; color: #2a3346; }
          .scopes li::before { content: "✓"; position: absolute; left: 0; top: 0; width: 1.1rem; height: 1.1rem; border-radius: 50%; background: #dcf5ea; color: #16845f; font-size: .72rem; font-weight: 700; display: flex; align-items: center; justify-content: center; }
          footer { margin-top: 1.4rem; color: #8a93a6; font-size: .8rem; }
        </style>
        </head>
        <body>
        <div class="brand"><span class="mark"></span>Ledgerlight</div>
        <main>
        {{content}}
        </main>
        <footer>Protected by Ledgerlight · Your password is never shared with the application</footer>
        </body>
        </html>
        """;
}
