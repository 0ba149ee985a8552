using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Receivables;

public class CustomerTests(ApiServer server) : IClassFixture<ApiServer>
{
    static object FullCustomer(string name) => new
    {
        name, email = "billing@northwind.example", description = "Key account", vatNumber = "DE123456789", businessRegistrationNumber = "HRB 1234",
        easCode = "0088", einvoiceAddress = "0088:123", einvoiceNetwork = "PEPPOL", type = "BUSINESS", logoUrl = "https://northwind.example/logo.png",
        domain = "northwind.example",
        address = new { country = "DE", city = "Berlin", zipcode = "10115", street = "Invalidenstr. 1" },
        billingAddress = new { country = "DE", city = "Hamburg", zipcode = "20095", street = "Mönckebergstr. 7", street2 = "4. OG" },
        shippingAddress = new { country = "AT", city = "Wien" },
        recipientEmails = new[] { "ap@northwind.example" }, ccEmails = new[] { "cfo@northwind.example" },
    };

    [Fact]
    public async Task Create_get_and_list_with_every_field()
    {
        var created = (await server.Admin.PostAsync("/v1/customers", FullCustomer("Northwind Traders"))).AssertOk();
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("ACTIVE", created["status"]!.GetValue<string>());
        Assert.Equal("Hamburg", created["billingAddress"]!["city"]!.GetValue<string>());
        Assert.Equal("4. OG", created["billingAddress"]!["street2"]!.GetValue<string>());
        Assert.Equal(["ap@northwind.example"], created["recipientEmails"]!.AsArray().Select(e => e!.GetValue<string>()));
        var fetched = (await server.Admin.GetAsync($"/v1/customers/{id}")).AssertOk();
        Assert.Equal(created.ToJsonString(), fetched.ToJsonString());

        var byCity = (await server.Admin.GetAsync("/v1/customers?filter=billingAddressCity:eq:Hamburg,status:eq:ACTIVE")).AssertOk();
        Assert.Contains(byCity["records"]!.AsArray(), c => c!["id"]!.GetValue<string>() == id);
        var search = (await server.Admin.GetAsync("/v1/customers?searchTerm=NORTHWIND trad")).AssertOk();
        Assert.Contains(search["records"]!.AsArray(), c => c!["id"]!.GetValue<string>() == id);
        (await server.Admin.GetAsync("/v1/customers?sort=vatNumber:asc")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Patch_changes_only_what_is_sent_and_null_clears()
    {
        var id = (await server.Admin.PostAsync("/v1/customers", FullCustomer("Contoso Ltd"))).AssertOk()["id"]!.GetValue<string>();
        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customers/{id}",
            new Dictionary<string, object?> { ["email"] = "new@contoso.example", ["vatNumber"] = null, ["ccEmails"] = Array.Empty<string>() })).AssertOk();
        Assert.Equal("new@contoso.example", patched["email"]!.GetValue<string>());
        Assert.Null(patched["vatNumber"]);
        Assert.Empty(patched["ccEmails"]!.AsArray());
        Assert.Equal("Contoso Ltd", patched["name"]!.GetValue<string>());
        Assert.Equal("Hamburg", patched["billingAddress"]!["city"]!.GetValue<string>());

        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customers/{id}", new Dictionary<string, object?> { ["name"] = null }))
            .AssertError(400, "BAD_REQUEST");
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customers/{id}", new { email = "broken" })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("new@contoso.example", (await server.Admin.GetAsync($"/v1/customers/{id}")).Json["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Archive_and_activate_move_the_status_and_refuse_repeats()
    {
        var id = (await server.Admin.PostAsync("/v1/customers", new { name = "Fabrikam" })).AssertOk()["id"]!.GetValue<string>();
        Assert.Equal("ARCHIVED", (await server.Admin.PostAsync($"/v1/customers/{id}/archive")).AssertOk()["status"]!.GetValue<string>());
        var again = (await server.Admin.PostAsync($"/v1/customers/{id}/archive")).AssertError(409, "CONFLICT");
        Assert.Contains("ARCHIVED", again["message"]!.GetValue<string>());
        Assert.Single((await server.Admin.GetAsync($"/v1/customers?filter=status:eq:ARCHIVED,id:eq:{id}")).AssertOk()["records"]!.AsArray());
        Assert.Equal("ACTIVE", (await server.Admin.PostAsync($"/v1/customers/{id}/activate")).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_roles_and_tenancy()
    {
        var error = (await server.Admin.PostAsync("/v1/customers", new { email = "x@y.example", type = "ALIEN", einvoiceNetwork = "FAX", recipientEmails = new[] { "nope" } }))
            .AssertError(400, "BAD_REQUEST");
        var fields = error["errors"]!.AsArray().Select(e => e!["path"]![0]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "name", "type", "einvoiceNetwork", "recipientEmails" }, fields);

        (await server.Viewer.PostAsync("/v1/customers", new { name = "No" })).AssertError(403, "FORBIDDEN");
        var arClerk = await new ApiKeyStore(server.Db, TimeProvider.System).CreateAsync(server.Company.CompanyId, "AR_CLERK", "ar");
        (await new ApiClient(server.BaseAddress, arClerk.Key).PostAsync("/v1/customers", new { name = "Clerk made" })).AssertOk();

        var other = await server.CreateTenantAsync("Other AR Co", "EUR");
        var theirs = (await other.Admin.PostAsync("/v1/customers", new { name = "Theirs" })).AssertOk()["id"]!.GetValue<string>();
        (await server.Admin.GetAsync($"/v1/customers/{theirs}")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PostAsync($"/v1/customers/{theirs}/archive")).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync("/v1/customers/not-a-uuid")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Idempotent_create_makes_one_customer()
    {
        var headers = new Dictionary<string, string> { ["X-Idempotency-Key"] = Guid.NewGuid().ToString() };
        var a = (await server.Admin.PostAsync("/v1/customers", new { name = "Once Customer" }, headers)).AssertOk();
        var b = (await server.Admin.PostAsync("/v1/customers", new { name = "Once Customer" }, headers)).AssertOk();
        Assert.Equal(a["id"]!.ToString(), b["id"]!.ToString());
        Assert.Single((await server.Admin.GetAsync("/v1/customers?filter=name:eq:Once Customer")).AssertOk()["records"]!.AsArray());
    }
}
