using Ledgerlight.Platform.Auth;

namespace Ledgerlight.OAuth;

/// <summary>
/// The OAuth 2.0 authorization server: clients, the authorize pages (sign-in and consent), the token
/// and revocation endpoints, the "Bearer" credential resolver for /v1, and the admin extensions.
/// </summary>
public static class OAuthModule
{
    public static IServiceCollection AddOAuth(this IServiceCollection services) => services
        .AddSingleton(OAuthOptions.FromEnvironment())
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
