namespace Ledgerlight.Platform;

/// <summary>
/// The web origins (scheme://host[:port]) whose pages may download documents from this server in a browser: an attachment's
/// document, a card transaction's receipt and the signed /files URLs they redirect to. None by default, so a browser refuses
/// any cross-origin read; set LEDGERLIGHT_CORS_ORIGINS (comma-separated) for a web front end on another origin.
/// </summary>
public sealed class BrowserOrigins(IEnumerable<string> origins)
{
    readonly HashSet<string> _allowed = origins.Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> FromEnvironment() =>
        (Environment.GetEnvironmentVariable("LEDGERLIGHT_CORS_ORIGINS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Allows(string? origin) => origin is { Length: > 0 } && _allowed.Contains(origin);
}

/// <summary>
/// CORS for the download paths alone (Light's getAttachmentDocumentOptions and getCardTransactionReceiptOptions handle
/// their preflights). A preflight is answered here, before authentication, because a browser sends it without credentials;
/// an allowed origin gets Access-Control-Allow-Origin on the answer and on the download itself. Everything else in the API
/// stays same-origin only, and an origin not configured gets no CORS header at all (the browser then refuses the read).
/// </summary>
public sealed class BrowserDownloadsMiddleware(RequestDelegate next, BrowserOrigins origins)
{
    /// <summary>/files/{token}, /v1/attachments/{id}/document, /v1/card-transactions/{id}/receipt.</summary>
    /// <remarks>Runs for every request, so it reads the path in place: no split, no allocation.</remarks>
    public static bool IsDownload(PathString path)
    {
        var p = (path.Value ?? "").AsSpan().TrimEnd('/');
        return OneSegmentAfter(p, "/files/")
               || (p.EndsWith("/document") && OneSegmentAfter(p[..^"/document".Length], "/v1/attachments/"))
               || (p.EndsWith("/receipt") && OneSegmentAfter(p[..^"/receipt".Length], "/v1/card-transactions/"));
    }

    static bool OneSegmentAfter(ReadOnlySpan<char> path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length && !path[prefix.Length..].Contains('/');

    public Task InvokeAsync(HttpContext ctx)
    {
        if (!IsDownload(ctx.Request.Path)) return next(ctx);
        var origin = ctx.Request.Headers.Origin.ToString();
        var allowed = origins.Allows(origin);
        if (HttpMethods.IsOptions(ctx.Request.Method) && ctx.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            ctx.Response.Headers.Allow = "GET, OPTIONS";
            ctx.Response.Headers.Vary = "Origin";
            if (allowed)
            {
                ctx.Response.Headers.AccessControlAllowOrigin = origin;
                ctx.Response.Headers.AccessControlAllowMethods = "GET";
                ctx.Response.Headers.AccessControlAllowHeaders = "Authorization";
                ctx.Response.Headers.AccessControlMaxAge = "600";
            }
            return Task.CompletedTask;
        }
        if (allowed)
            ctx.Response.OnStarting(() =>
            {
                ctx.Response.Headers.AccessControlAllowOrigin = origin;
                ctx.Response.Headers.Append("Vary", "Origin");
                return Task.CompletedTask;
            });
        return next(ctx);
    }
}

public static class DownloadOptionsEndpoint
{
    /// <summary>
    /// OPTIONS on a download path without a preflight's headers (a preflight is answered by <see cref="BrowserDownloadsMiddleware"/>
    /// before routing): the methods the path answers, in Allow, and an empty JSON object.
    /// </summary>
    public static RouteHandlerBuilder MapDownloadOptions(this IEndpointRouteBuilder routes, string pattern, string allow) =>
        routes.MapMethods(pattern, [HttpMethods.Options], (HttpContext ctx) =>
        {
            ctx.Response.Headers.Allow = allow;
            return ApiResults.Ok(new { });
        });
}
