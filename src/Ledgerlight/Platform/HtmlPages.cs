using System.Net;

namespace Ledgerlight.Platform;

/// <summary>
/// The server's few HTML pages (OAuth sign-in and consent, set-password): one look, one set of safe headers.
/// Pages carry no script; every text goes through <see cref="E"/>.
/// </summary>
public static class HtmlPages
{
    public static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>
    /// A page answer: no caching, no framing, no script, no referrer (tokens ride in these URLs). With
    /// <paramref name="formsPostHere"/> forms may only post back to this server; the OAuth consent page leaves
    /// form-action open because Chrome applies it to the redirect that follows "Allow".
    /// </summary>
    public static IResult Result(int status, string body, bool formsPostHere) => new HtmlResult(status, body, formsPostHere);

    /// <summary>The sign-in pages' reassurance; the set-password page has no application to reassure about.</summary>
    public const string OAuthFooter = "Protected by Ledgerlight · Your password is never shared with the application";

    public static string Page(string title, string content, string footer = "Ledgerlight") => $$"""
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
        <footer>{{E(footer)}}</footer>
        </body>
        </html>
        """;

    sealed class HtmlResult(int status, string body, bool formsPostHere) : IResult
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
            h.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; " + (formsPostHere ? "form-action 'self'; " : "") +
                                      "frame-ancestors 'none'; base-uri 'none'";
            return ctx.Response.WriteAsync(body, ctx.RequestAborted);
        }
    }
}
