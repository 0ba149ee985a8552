using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Organization;

public class OrganizationTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Current_company_has_lights_shape()
    {
        var company = (await server.Admin.GetAsync("/v1/companies/current")).AssertOk();
        Assert.Equal("USD", company["baseCurrency"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(company["invoiceEmail"]!.GetValue<string>()));
        Assert.EndsWith("Z", company["createdAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Entities_list_the_legal_entity_with_filters_and_sorts()
    {
        var page = (await server.Admin.GetAsync("/v1/entities")).AssertOk();
        var entity = Assert.Single(page["records"]!.AsArray())!;
        Assert.Equal(server.Company.EntityId.ToString(), entity["id"]!.GetValue<string>());
        Assert.Equal("USD", entity["localCurrency"]!.GetValue<string>());
        Assert.Equal(1, entity["seedInvoiceNumber"]!.GetValue<long>());

        Assert.Single((await server.Admin.GetAsync("/v1/entities?filter=code:eq:MAIN&sort=name:desc")).AssertOk()["records"]!.AsArray());
        Assert.Empty((await server.Admin.GetAsync("/v1/entities?filter=status:eq:INACTIVE")).AssertOk()["records"]!.AsArray());
        (await server.Admin.GetAsync("/v1/entities?sort=vatNumber:asc&cursor=0")).AssertOk();
        (await server.Admin.GetAsync("/v1/entities?sort=unknownField:asc")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Users_are_the_companys_with_roles_on_request()
    {
        var plain = (await server.Admin.GetAsync("/v1/users")).AssertOk();
        var user = Assert.Single(plain["records"]!.AsArray())!;
        Assert.Null(user["roles"]);
        Assert.Equal("Olive", user["firstName"]!.GetValue<string>());

        var withRoles = (await server.Admin.GetAsync("/v1/users?includeRoles=true&includeGroups=true&includeManagers=true")).AssertOk();
        var detailed = withRoles["records"]![0]!;
        Assert.Contains("COMPANY_ADMIN", detailed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Empty(detailed["groups"]!.AsArray());

        Assert.Single((await server.Admin.GetAsync("/v1/users?filter=role:eq:COMPANY_ADMIN")).AssertOk()["records"]!.AsArray());
        Assert.Empty((await server.Admin.GetAsync("/v1/users?filter=role:eq:AP_CLERK")).AssertOk()["records"]!.AsArray());
        var email = user["email"]!.GetValue<string>().ToUpperInvariant();
        Assert.Single((await server.Admin.GetAsync($"/v1/users?filter=email:eq:{email}")).AssertOk()["records"]!.AsArray());
        (await server.Admin.GetAsync("/v1/users?includeRoles=maybe")).AssertError(400, "BAD_REQUEST");
    }
}
