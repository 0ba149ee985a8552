namespace Ledgerlight.Platform.Auth;

/// <summary>
/// Identifies the caller of every request under /v1 with the resolver of its Authorization scheme.
/// A failure is only noted here: rate limiting runs next (so failed attempts are counted and carry
/// rate-limit headers), and <see cref="PermissionMiddleware"/> answers 401 or 403.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, IEnumerable<ICredentialResolver> resolvers)
{
    readonly Dictionary<string, ICredentialResolver> _resolvers =
        resolvers.ToDictionary(r => r.Scheme, StringComparer.OrdinalIgnoreCase);

    public static bool IsProtected(PathString path) => path.StartsWithSegments("/v1");

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!IsProtected(ctx.Request.Path))
        {
            await next(ctx);
            return;
        }

        try
        {
            ctx.SetPrincipal(await AuthenticateAsync(ctx));
        }
        catch (ApiException e)
        {
            ctx.Items[FailureKey] = e;
        }
        await next(ctx);
    }

    internal const string FailureKey = "ledgerlight.auth-failure";

    async Task<Principal> AuthenticateAsync(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header)) throw ApiException.Unauthorized();
        var space = header.IndexOf(' ');
        var scheme = space > 0 ? header[..space] : header;
        var credentials = space > 0 ? header[(space + 1)..].Trim() : "";
        // Never echo the header: a malformed one ("Basic<TAB>key", a key pasted without a scheme)
        // carries the credential where the scheme should be.
        if (!_resolvers.TryGetValue(scheme, out var resolver))
            throw ApiException.Unauthorized("Authorization scheme is not supported or the header is malformed; use 'Basic <api_key>' or 'Bearer <access_token>'");
        if (credentials.Length is 0 or > 512) throw ApiException.Unauthorized("Invalid credentials");

        return await resolver.ResolveAsync(credentials, ctx.RequestAborted)
               ?? throw ApiException.Unauthorized("Invalid or revoked credentials");
    }
}

/// <summary>Answers 401 for an unidentified caller and 403 when the role lacks the endpoint's permission.</summary>
public sealed class PermissionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var principal = ctx.FindPrincipal();
        if (principal is null && AuthenticationMiddleware.IsProtected(ctx.Request.Path))
            throw ctx.Items[AuthenticationMiddleware.FailureKey] as ApiException ?? ApiException.Unauthorized();
        var required = ctx.GetEndpoint()?.Metadata.GetMetadata<RequiredPermission>();
        if (required is not null && principal is not null && !Roles.Allows(principal.Role, required.Name))
            throw ApiException.Forbidden($"Role {principal.Role} lacks permission {required.Name}");
        await next(ctx);
    }
}
