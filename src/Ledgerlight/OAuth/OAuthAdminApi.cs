using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.OAuth;

/// <summary>
/// Ledgerlight extensions for administrators: register, list and revoke OAuth clients, and see or
/// revoke the grants a user gave. "oauth:write" belongs to no clerk role, so only ADMIN reaches these,
/// listings included (a client list is security configuration, not business data).
/// </summary>
public static class OAuthAdminApi
{
    static readonly string Admin = Permissions.Write("oauth");

    public static void MapOAuthAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/oauth-clients", async (HttpContext ctx, OAuthClientStore store) =>
                ApiResults.Ok(await store.ListAsync(ctx.Principal().CompanyId)))
            .WithName("listOAuthClients").RequirePermission(Admin)
            .WithMetadata(new LedgerlightExtension("List OAuth clients", "The company's registered OAuth clients, revoked ones included (never their secrets)."));

        app.MapPost("/v1/oauth-clients", async (HttpContext ctx, OAuthClientStore store) =>
            {
                // A replayable answer would be kept in the idempotency table for a day, secret and all:
                // the secret is stored nowhere but as a hash, so this one write takes no idempotency key.
                if (ctx.Request.Headers.ContainsKey(IdempotencyMiddleware.Header) || ctx.Request.Headers.ContainsKey("Idempotency-Key"))
                    throw ApiException.BadRequest("createOAuthClient does not take an idempotency key: its answer holds the client secret, which is never stored",
                        IdempotencyMiddleware.Header);
                var request = await RequestBody.ReadAsync<CreateOAuthClientRequest>(ctx);
                OAuthClientRules.Check(request).ThrowIfAny();
                return ApiResults.Ok(await store.CreateAsync(ctx.Principal().CompanyId, request));
            })
            .WithName("createOAuthClient").RequirePermission(Admin)
            .WithMetadata(new LedgerlightExtension("Register an OAuth client",
                "Registers a client with its exact redirect URIs. The answer holds clientSecret once (a public client has none and must use PKCE)."));

        app.MapDelete("/v1/oauth-clients/{clientId}", async (string clientId, HttpContext ctx, OAuthClientStore store) =>
                ApiResults.Ok(await store.RevokeAsync(ctx.Principal().CompanyId, Ids.Parse(clientId, "clientId")) ?? throw ApiException.NotFound("OAuth client")))
            .WithName("revokeOAuthClient").RequirePermission(Admin)
            .WithMetadata(new LedgerlightExtension("Revoke an OAuth client", "Revokes the client: its tokens stop working at once and it can no longer sign users in."));

        app.MapGet("/v1/users/{userId}/oauth-grants", async (string userId, HttpContext ctx, OAuthTokenStore store) =>
                ApiResults.Ok(await store.ActiveGrantsAsync(ctx.Principal().CompanyId, Ids.Parse(userId, "userId"), ctx.RequestAborted)
                              ?? throw ApiException.NotFound("User")))
            .WithName("listUserOAuthGrants").RequirePermission(Admin)
            .WithMetadata(new LedgerlightExtension("List a user's OAuth grants", "The applications the user has given access to that still hold working tokens."));

        app.MapDelete("/v1/oauth-grants/{grantId}", async (string grantId, HttpContext ctx, OAuthTokenStore store) =>
                ApiResults.Ok(await store.RevokeGrantAsync(ctx.Principal().CompanyId, Ids.Parse(grantId, "grantId"), ctx.RequestAborted)
                              ?? throw ApiException.NotFound("OAuth grant")))
            .WithName("revokeOAuthGrant").RequirePermission(Admin)
            .WithMetadata(new LedgerlightExtension("Revoke an OAuth grant", "Ends a grant: its access and refresh tokens stop working at once."));
    }
}
