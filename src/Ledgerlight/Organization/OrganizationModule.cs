using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Organization.Companies;
using Ledgerlight.Organization.Entities;
using Ledgerlight.Organization.Users;

namespace Ledgerlight.Organization;

/// <summary>Companies, their entities, users and the API keys that authenticate requests.</summary>
public static class OrganizationModule
{
    public static IServiceCollection AddOrganization(this IServiceCollection services) => services
        .AddSingleton<PrincipalCache>()
        .AddHostedService(sp => sp.GetRequiredService<PrincipalCache>())
        .AddSingleton<ICredentialResolver, ApiKeyResolver>()
        .AddSingleton<CompanyStore>()
        .AddSingleton<CompanyCache>()
        .AddSingleton<ApiKeyStore>()
        .AddSingleton<UserStore>()
        .AddSingleton<Users.Reimbursements.ReimbursementStore>()
        .AddSingleton<PasswordSetupStore>()
        .AddSingleton<Storage.Jobs.IJobHandler, WelcomeEmail>();

    public static IEndpointRouteBuilder MapOrganization(this IEndpointRouteBuilder app)
    {
        app.MapCompanyApi();
        app.MapEntityApi();
        app.MapUserApi();
        app.MapUserAdminApi();
        app.MapSetPasswordPages();
        return app;
    }
}
