using Microsoft.Extensions.Primitives;

namespace Ledgerlight.OAuth;

/// <summary>
/// POST /oauth/token (Light's getOAuthToken: the seed's form-encoded curl works unchanged) and
/// POST /oauth/revoke (RFC 7009). Both are outside /v1: the client authenticates itself here, and
/// the per-address limit of the rate limiter applies instead of a key's. Answers are RFC 6749 §5:
/// ExternalOauthToken on success, {"error", "error_description"} otherwise, never cached.
/// </summary>
public static class TokenEndpoints
{
    const int MaxFormBytes = 16 * 1024;
    const int MaxValueLength = 4096;

    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth/token", async (HttpContext ctx, OAuthClientStore clients, OAuthTokenStore tokens) =>
        {
            var (form, formError) = await ReadFormAsync(ctx);
            if (formError is not null) return Error(formError, false);
            var (client, credentials, clientError) = await AuthenticateAsync(ctx, form!, clients);
            if (clientError is not null) return Error(clientError, credentials?.ViaBasic ?? false);

            var grantType = form!["grant_type"].ToString();
            TokenOutcome outcome;
            switch (grantType)
            {
                case "authorization_code":
                    if (Missing(form, "code") is { } noCode) return Error(noCode, false);
                    outcome = await tokens.ExchangeCodeAsync(client!, form["code"].ToString(), Optional(form, "redirect_uri"),
                        Optional(form, "code_verifier"), ctx.RequestAborted);
                    break;
                case "refresh_token":
                    if (Missing(form, "refresh_token") is { } noToken) return Error(noToken, false);
                    outcome = await tokens.RefreshAsync(client!, form["refresh_token"].ToString(), ctx.RequestAborted);
                    break;
                case "":
                    return Error(OAuthError.Missing("grant_type"), false);
                default:
                    return Error(new OAuthError(OAuthErrors.UnsupportedGrantType, "grant_type must be authorization_code or refresh_token"), false);
            }
            return outcome.Tokens is { } t
                ? new OAuthJson(200, new Dictionary<string, object>
                {
                    ["access_token"] = t.AccessToken, ["token_type"] = "Bearer", ["expires_in"] = t.ExpiresIn, ["refresh_token"] = t.RefreshToken,
                })
                : Error(outcome.Error!, false);
        }).WithName("getOAuthToken");

        app.MapPost("/oauth/revoke", async (HttpContext ctx, OAuthClientStore clients, OAuthTokenStore tokens) =>
        {
            var (form, formError) = await ReadFormAsync(ctx);
            if (formError is not null) return Error(formError, false);
            var (client, credentials, clientError) = await AuthenticateAsync(ctx, form!, clients);
            if (clientError is not null) return Error(clientError, credentials?.ViaBasic ?? false);
            if (Missing(form!, "token") is { } noToken) return Error(noToken, false);
            await tokens.RevokeTokenAsync(client!, form!["token"].ToString(), ctx.RequestAborted);
            return new OAuthJson(200, new Dictionary<string, object>());
        }).WithName("revokeOAuthToken");
    }

    static async Task<(IFormCollection? Form, OAuthError? Error)> ReadFormAsync(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType || ctx.Request.HasFormContentType && ctx.Request.ContentType!.Contains("multipart", StringComparison.OrdinalIgnoreCase))
            return (null, new OAuthError(OAuthErrors.InvalidRequest, "The body must be application/x-www-form-urlencoded"));
        if (ctx.Request.ContentLength is > MaxFormBytes)
            return (null, new OAuthError(OAuthErrors.InvalidRequest, $"The body exceeds {MaxFormBytes} bytes"));
        IFormCollection form;
        try { form = await ctx.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxValueLength, ValueCountLimit = 32 }, ctx.RequestAborted); }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, new OAuthError(OAuthErrors.InvalidRequest, "The form could not be read"));
        }
        // RFC 6749 §3.2: parameters must not repeat; a repeated one is ambiguous.
        if (form.FirstOrDefault(f => f.Value.Count > 1) is { Key: { } repeated })
            return (null, new OAuthError(OAuthErrors.InvalidRequest, $"{repeated} is repeated"));
        return (form, null);
    }

    static async Task<(OAuthClient?, ClientCredentials?, OAuthError?)> AuthenticateAsync(HttpContext ctx, IFormCollection form, OAuthClientStore clients)
    {
        var (credentials, error) = ClientAuthentication.Read(ctx.Request.Headers.Authorization.ToString(), Optional(form, "client_id"), Optional(form, "client_secret"));
        if (error is not null) return (null, credentials, error);
        var client = await clients.FindAsync(credentials!.ClientId, ctx.RequestAborted);
        return (client, credentials, ClientAuthentication.Check(client, credentials.ClientSecret));
    }

    static string? Optional(IFormCollection form, string name) => form.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;

    static OAuthError? Missing(IFormCollection form, string name) => Optional(form, name) is null ? OAuthError.Missing(name) : null;

    /// <summary>
    /// RFC 6749 §5.2's error and error_description, with Light's envelope fields (name, type, message,
    /// errors) beside them: an OAuth library reads the first two, a client of Light's API its envelope.
    /// </summary>
    static IResult Error(OAuthError error, bool viaBasic) =>
        new OAuthJson(error.Status, new Dictionary<string, object>
            {
                ["error"] = error.Error, ["error_description"] = error.Description,
                ["name"] = ErrorTypes.NameFor(error.Status), ["message"] = error.Description,
                ["type"] = error.MissingParameter is null ? ErrorTypes.ForStatus(error.Status) : ErrorTypes.MissingParameter,
                ["errors"] = error.MissingParameter is { } name
                    ? new object[] { new FieldError(ErrorTypes.MissingParameter, error.Description, [name]) }
                    : Array.Empty<object>(),
            },
            error.Status == 401 && viaBasic ? "Basic realm=\"ledgerlight\"" : null);

    /// <summary>RFC 6749 §5.1: JSON, and neither the token nor the error may be cached.</summary>
    sealed class OAuthJson(int status, Dictionary<string, object> body, string? wwwAuthenticate = null) : IResult
    {
        public Task ExecuteAsync(HttpContext ctx)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = Json.ContentType;
            ctx.Response.Headers.CacheControl = "no-store";
            ctx.Response.Headers.Pragma = "no-cache";
            if (wwwAuthenticate is not null) ctx.Response.Headers.WWWAuthenticate = wwwAuthenticate;
            if (status >= 400 && RequestIds.Get(ctx) is { } requestId) body["requestId"] = requestId;
            return ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, Json.Options), ctx.RequestAborted).AsTask();
        }
    }
}
