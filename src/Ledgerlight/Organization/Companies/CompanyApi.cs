namespace Ledgerlight.Organization.Companies;

public static class CompanyApi
{
    public static void MapCompanyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/companies/current", async (HttpContext ctx, CompanyStore store, CompanyCache cache) =>
                ApiResults.Ok(await cache.GetAsync(ctx.Principal().CompanyId, store.GetAsync) ?? throw ApiException.NotFound("Company")))
            .WithName("getCurrentCompany")
            .RequirePermission(Permissions.Read("companies"));
    }
}
