using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public class TenancyTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Another_companys_records_are_404_and_invisible()
    {
        var other = await server.CreateTenantAsync("Rival Holdings", "EUR");
        var theirs = (await other.Admin.PostAsync("/v1/vendors", new { name = "Rival Secret Vendor" })).AssertOk();
        var id = theirs["vendorId"]!.GetValue<string>();

        (await server.Admin.GetAsync($"/v1/vendors/{id}")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Hijacked" })).AssertError(404, "NOT_FOUND");
        var list = (await server.Admin.GetAsync($"/v1/vendors?filter=id:eq:{id}")).AssertOk();
        Assert.Empty(list["records"]!.AsArray());
        var search = (await server.Admin.GetAsync("/v1/vendors?searchTerm=Rival Secret")).AssertOk();
        Assert.Empty(search["records"]!.AsArray());

        Assert.Equal("Rival Secret Vendor", (await other.Admin.GetAsync($"/v1/vendors/{id}")).Json["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_key_sees_its_own_company_entities_users_and_chart()
    {
        var other = await server.CreateTenantAsync("Elsewhere SA", "EUR");
        var mine = (await server.Admin.GetAsync("/v1/companies/current")).AssertOk();
        var theirs = (await other.Admin.GetAsync("/v1/companies/current")).AssertOk();
        Assert.Equal(server.Company.CompanyId.ToString(), mine["id"]!.GetValue<string>());
        Assert.Equal("EUR", theirs["baseCurrency"]!.GetValue<string>());

        var entities = (await other.Admin.GetAsync("/v1/entities")).AssertOk()["records"]!.AsArray();
        Assert.All(entities, e => Assert.Equal(other.CompanyId.ToString(), e!["companyId"]!.GetValue<string>()));
        var users = (await other.Admin.GetAsync("/v1/users")).AssertOk()["records"]!.AsArray();
        Assert.All(users, u => Assert.Equal(other.CompanyId.ToString(), u!["companyId"]!.GetValue<string>()));
        var accounts = (await other.Admin.GetAsync("/v1/ledger-accounts?limit=200")).AssertOk()["records"]!.AsArray();
        Assert.All(accounts, a => Assert.Equal(other.CompanyId.ToString(), a!["companyId"]!.GetValue<string>()));

        // An entity of another company cannot be attached to my vendor.
        var error = (await server.Admin.PostAsync("/v1/vendors", new { name = "Cross", companyEntityIds = new[] { other.EntityId } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal("companyEntityIds", error["errors"]![0]!["path"]![0]!.GetValue<string>());
    }
}
