using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables;

public class VendorTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<string> AccountId(int code) =>
        (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();

    Dictionary<string, object?> FullVendor(string accountId) => new()
    {
        ["name"] = "Fjord Timber AS",
        ["defaultCompanyEntity"] = new { companyEntityId = server.Company.EntityId, accountId },
        ["companyEntityIds"] = new[] { server.Company.EntityId },
        ["vatId"] = "NO123456789MVA",
        ["businessRegistrationNumber"] = "123456789",
        ["identifier"] = "ERP-4711",
        ["description"] = "Timber supplier",
        ["avatarUrl"] = "https://fjord.example/logo.png",
        ["email"] = "ap@fjord.example",
        ["phoneNumber"] = new { countryCode = "NO", localNumber = "22 33 44 55" },
        ["website"] = "https://fjord.example",
        ["country"] = "NO",
        ["city"] = "Oslo",
        ["address"] = "Karl Johans gate 1",
        ["zipcode"] = "0154",
        ["bankName"] = "DNB",
        ["bankCountry"] = "NO",
        ["bankCity"] = "Oslo",
        ["bankAddress"] = "Dronning Eufemias gate 30",
        ["bankZipcode"] = "0191",
        ["bankAccountNumber"] = "NO9386011117947",
        ["bankAccountBic"] = "DNBANOKKXXX",
        ["domesticBankAccountNumber"] = "86011117947",
        ["domesticBankAccountCode"] = "8601",
        ["swedishBankgiroNumber"] = "5050-1055",
        ["swedishPlusgiroNumber"] = "4711-2",
        ["bankRecipientName"] = "Fjord Timber AS",
        ["currency"] = "NOK",
    };

    [Fact]
    public async Task Create_stores_every_field_and_get_returns_them()
    {
        var accountId = await AccountId(6400);
        var body = FullVendor(accountId);
        var created = (await server.Admin.PostAsync("/v1/vendors", body)).AssertOk();
        var id = created["vendorId"]!.GetValue<string>();
        var fetched = (await server.Admin.GetAsync($"/v1/vendors/{id}")).AssertOk();
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());

        foreach (var field in new[] { "name", "vatId", "businessRegistrationNumber", "identifier", "description", "avatarUrl", "email",
                     "website", "country", "city", "address", "zipcode", "bankName", "bankCountry", "bankCity", "bankAddress",
                     "bankZipcode", "bankAccountNumber", "bankAccountBic", "domesticBankAccountNumber", "domesticBankAccountCode",
                     "swedishBankgiroNumber", "swedishPlusgiroNumber", "bankRecipientName", "currency" })
            Assert.Equal(body[field], fetched[field]!.GetValue<string>());
        Assert.Equal("22 33 44 55", fetched["phoneNumber"]!["localNumber"]!.GetValue<string>());
        Assert.Equal(accountId, fetched["defaultCompanyEntity"]!["accountId"]!.GetValue<string>());
        Assert.Equal(id, fetched["defaultCompanyEntity"]!["vendorId"]!.GetValue<string>());
        Assert.Equal("ACTIVE", fetched["status"]!.GetValue<string>());
        Assert.Equal("EXTERNAL", fetched["type"]!.GetValue<string>());
        Assert.Equal(1, fetched["version"]!.GetValue<int>());
        Assert.Equal("USD", fetched["groupCurrency"]!.GetValue<string>());
        Assert.Equal(server.Company.CompanyId.ToString(), fetched["companyId"]!.GetValue<string>());

        var byAccount = (await server.Admin.GetAsync($"/v1/vendors?filter=ledgerAccountId:eq:{accountId}")).AssertOk();
        Assert.Contains(byAccount["records"]!.AsArray(), v => v!["vendorId"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Minimal_vendor_takes_the_company_currency()
    {
        var created = (await server.Admin.PostAsync("/v1/vendors", new { name = "Minimal LLC" })).AssertOk();
        Assert.Equal("USD", created["currency"]!.GetValue<string>());
        Assert.Empty(created["companyEntityIds"]!.AsArray());
        Assert.Null(created["defaultCompanyEntity"]);
    }

    [Fact]
    public async Task Put_replaces_attributes_and_bumps_the_version()
    {
        var created = (await server.Admin.PostAsync("/v1/vendors", FullVendor(await AccountId(6400)))).AssertOk();
        var id = created["vendorId"]!.GetValue<string>();
        var updated = (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Fjord Timber Group", email = "new@fjord.example" })).AssertOk();

        Assert.Equal("Fjord Timber Group", updated["name"]!.GetValue<string>());
        Assert.Equal("new@fjord.example", updated["email"]!.GetValue<string>());
        Assert.Null(updated["vatId"]); // replaced: omitted attributes are cleared
        Assert.Equal(2, updated["version"]!.GetValue<int>());
        Assert.Equal("NOK", updated["currency"]!.GetValue<string>()); // not part of the update model
        Assert.NotNull(updated["defaultCompanyEntity"]); // relationships change only when sent
        Assert.Equal(created["vendorCreatedAt"]!.GetValue<string>(), updated["vendorCreatedAt"]!.GetValue<string>());
        Assert.True(string.CompareOrdinal(updated["updatedAt"]!.GetValue<string>(), created["updatedAt"]!.GetValue<string>()) > 0);
    }

    [Fact]
    public async Task Invalid_update_changes_nothing()
    {
        var created = (await server.Admin.PostAsync("/v1/vendors", new { name = "Stable Name" })).AssertOk();
        var id = created["vendorId"]!.GetValue<string>();
        (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "", email = "bad" })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Ok", defaultCompanyEntity = new { companyEntityId = Guid.NewGuid() } }))
            .AssertError(400, "BAD_REQUEST");
        var fetched = (await server.Admin.GetAsync($"/v1/vendors/{id}")).AssertOk();
        Assert.Equal("Stable Name", fetched["name"]!.GetValue<string>());
        Assert.Equal(1, fetched["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task References_must_exist()
    {
        var unknownAccount = (await server.Admin.PostAsync("/v1/vendors", new
        {
            name = "Bad Ref", defaultCompanyEntity = new { companyEntityId = server.Company.EntityId, accountId = Guid.NewGuid() },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["defaultCompanyEntity", "accountId"], unknownAccount["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));

        var unknownGroup = (await server.Admin.PostAsync("/v1/vendors", new
        {
            name = "Bad Props", customProperties = new[] { new { groupId = Guid.NewGuid(), valueIds = Array.Empty<Guid>() } },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("customProperties", unknownGroup["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_vendor_is_404()
    {
        (await server.Admin.GetAsync($"/v1/vendors/{Guid.NewGuid()}")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PutAsync($"/v1/vendors/{Guid.NewGuid()}", new { name = "Ghost" })).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Default_entity_joins_the_vendors_entities()
    {
        var created = (await server.Admin.PostAsync("/v1/vendors", new
        {
            name = "Entity Joiner", defaultCompanyEntity = new { companyEntityId = server.Company.EntityId },
        })).AssertOk();
        Assert.Equal(server.Company.EntityId.ToString(), created["companyEntityIds"]![0]!.GetValue<string>());
    }
}
