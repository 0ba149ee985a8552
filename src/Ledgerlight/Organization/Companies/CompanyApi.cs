
namespace Ledgerlight.Organization.Companies;

public static class CompanyApi
{
    public static void MapCompanyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/companies/current", async (HttpContext ctx, CompanyStore store) =>
            {
                var company = await store.GetAsync(ctx.Principal().CompanyId) ?? throw ApiException.NotFound("Company");
                return ApiResults.Ok(company.ToModel());
            })
            .WithName("getCurrentCompany")
            .RequirePermission(Permissions.Read("companies"));
    }
}
