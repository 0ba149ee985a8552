using System.Net;

namespace Ledgerlight.Organization.Users;

/// <summary>
/// The two HTML pages behind a welcome link: a form to choose a password, and its answer. Not part of
/// Light's API (outside /v1: no API key, not in /openapi.json). The link's token is the authority:
/// it travels in a hidden field, is checked again on submit, and is never logged or echoed elsewhere.
/// </summary>
public static class SetPasswordPages
{
    public const string Path = "/set-password";
    const int MaxFormBytes = 16 * 1024;

    public static void MapSetPasswordPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext ctx, PasswordSetupStore links) =>
        {
            var token = ctx.Request.Query["token"].ToString();
            return await links.IsUsableAsync(token, ctx.RequestAborted)
                ? Html(200, SetPasswordHtml.Form(token, null))
                : Html(400, SetPasswordHtml.Invalid);
        });

        app.MapPost(Path, async (HttpContext ctx, PasswordSetupStore links) =>
        {
            if (!ctx.Request.HasFormContentType || ctx.Request.ContentLength is null or > MaxFormBytes)
                return Html(400, SetPasswordHtml.Message("The form could not be read", "Open the link from your e-mail again and submit the form."));
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            var token = form["token"].ToString();
            if (PasswordRules.Problem(form["password"], form["confirmation"]) is { } problem)
                return await links.IsUsableAsync(token, ctx.RequestAborted)
                    ? Html(400, SetPasswordHtml.Form(token, problem))
                    : Html(400, SetPasswordHtml.Invalid);
            return await links.RedeemAsync(token, form["password"].ToString(), ctx.RequestAborted)
                ? Html(200, SetPasswordHtml.Message("Your password is set", "You can now sign in with your e-mail address and this password."))
                : Html(400, SetPasswordHtml.Invalid);
        });
    }

    /// <summary>
    /// The token rides in the URL of the GET, so nothing may carry it onward: no Referer, no caching, no
    /// framing, no script, and the form may post only back here.
    /// </summary>
    static IResult Html(int status, string body) => new HtmlResult(status, body);

    sealed class HtmlResult(int status, string body) : IResult
    {
        public Task ExecuteAsync(HttpContext ctx)
        {
            var h = ctx.Response.Headers;
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/html; charset=utf-8";
            h.CacheControl = "no-store";
            h["Referrer-Policy"] = "no-referrer";
            h["X-Frame-Options"] = "DENY";
            h["X-Content-Type-Options"] = "nosniff";
            h.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            return ctx.Response.WriteAsync(body, ctx.RequestAborted);
        }
    }
}

/// <summary>The markup, self-contained (inline style, no external assets); every dynamic value is HTML-encoded.</summary>
public static class SetPasswordHtml
{
    public static string Invalid => Message("This link cannot be used",
        "It is unknown, was already used, or has expired. Ask your administrator to send you a new welcome e-mail.");

    public static string Form(string token, string? error) => Page("Choose your password", $"""
        <h1>Choose your password</h1>
        <p>At least {PasswordRules.MinLength} characters.</p>
        {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
        <form method="post" action="{SetPasswordPages.Path}" autocomplete="off">
          <input type="hidden" name="token" value="{E(token)}">
          <label>New password <input type="password" name="password" minlength="{PasswordRules.MinLength}" maxlength="{PasswordRules.MaxLength}" required autocomplete="new-password"></label>
          <label>Repeat password <input type="password" name="confirmation" minlength="{PasswordRules.MinLength}" maxlength="{PasswordRules.MaxLength}" required autocomplete="new-password"></label>
          <button type="submit">Set password</button>
        </form>
        """);

    public static string Message(string title, string text) => Page(title, $"<h1>{E(title)}</h1>\n<p>{E(text)}</p>");

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
          body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
          main { max-width: 26rem; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.1); }
          h1 { font-size: 1.4rem; margin-top: 0; }
          label { display: block; margin: 1rem 0; font-weight: 600; }
          input[type=password] { display: block; width: 100%; box-sizing: border-box; padding: .6rem; margin-top: .3rem; font-size: 1rem; border: 1px solid #c5cad3; border-radius: 4px; }
          button { width: 100%; padding: .7rem; font-size: 1rem; background: #2457d6; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
          .error { color: #a61b1b; background: #fdecec; padding: .6rem; border-radius: 4px; }
        </style>
        </head>
        <body><main>
        {{content}}
        </main></body>
        </html>
        """;
}
