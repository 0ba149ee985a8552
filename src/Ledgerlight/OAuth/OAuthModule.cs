namespace Ledgerlight.OAuth;

/// <summary>
/// The OAuth 2.0 authorization server: clients, the authorize pages (sign-in and consent), the token
/// and revocation endpoints, the "Bearer" credential resolver for /v1, and the admin extensions.
/// </summary>
public static class OAuthModule
{
    /// <param name="publicUrl">The address clients reach the server at: https there makes the cookies Secure behind a proxy.</param>
    public static IServiceCollection AddOAuth(this IServiceCollection services, string? publicUrl) => services
        .AddSingleton(OAuthOptions.FromEnvironment(publicUrl))
        .AddSingleton<ICredentialResolver, BearerResolver>()
        .AddSingleton<OAuthClientStore>()
        .AddSingleton<OAuthTokenStore>()
        .AddSingleton<SignInStore>();

    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        app.MapAuthorizePages();
        app.MapTokenEndpoints();
        app.MapOAuthAdminApi();
        return app;
    }
}
