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
    static IResult Html(int status, string body) => HtmlPages.Result(status, body, formsPostHere: true);
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
          <button type="submit" class="primary">Set password</button>
        </form>
        """);

    public static string Message(string title, string text) => Page(title, $"<h1>{E(title)}</h1>\n<p>{E(text)}</p>");

    static string E(string s) => HtmlPages.E(s);

    static string Page(string title, string content) => HtmlPages.Page(title, content);

}
