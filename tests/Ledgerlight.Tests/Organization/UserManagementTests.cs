using System.Text.Json.Nodes;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Organization;

/// <summary>Light's user-management operations over a real server; every 200 body is checked against Light's schema by ApiClient.</summary>
public class UserManagementTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.com";

    Task<ApiResponse> Patch(string userId, object body, ApiClient? api = null) =>
        (api ?? server.Admin).SendAsync(HttpMethod.Patch, $"/v1/users/{userId}", body);

    async Task<string> CreateUser(string? email = null) =>
        (await server.Admin.PostAsync("/v1/users", new { email = email ?? NewEmail(), firstName = "Grace" })).AssertOk()["id"]!.GetValue<string>();

    static string[] Path(JsonNode error) => error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()).ToArray();

    [Fact]
    public async Task Create_patch_and_status_answer_the_stored_user()
    {
        var email = NewEmail("ada");
        var created = (await server.Admin.PostAsync("/v1/users", new
        {
            email, firstName = "Ada", lastName = "Lovelace", companyEntityId = server.Company.EntityId,
            phoneNumber = new { countryCode = "GB", localNumber = "2071234567" }, country = "GB", city = "London", zipcode = "N1",
            address = "12 Analytical St", roles = new[] { "CARDHOLDER", "REIMBURSEMENT" },
        })).AssertOk();
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(email, created["email"]!.GetValue<string>());
        Assert.Equal("ACTIVE", created["status"]!.GetValue<string>());
        Assert.Equal(server.Company.CompanyId.ToString(), created["companyId"]!.GetValue<string>());
        Assert.Equal("GB", created["phoneNumber"]!["countryCode"]!.GetValue<string>());
        Assert.Equal(["CARDHOLDER", "REIMBURSEMENT"], created["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
        Assert.Empty(created["groups"]!.AsArray());

        var patched = (await Patch(id, new { city = "Cambridge", lastName = (string?)null, phoneNumber = (object?)null })).AssertOk();
        Assert.Equal("Cambridge", patched["city"]!.GetValue<string>());
        Assert.Null(patched["lastName"]);
        Assert.Null(patched["phoneNumber"]);
        Assert.Equal("Ada", patched["firstName"]!.GetValue<string>());
        Assert.Equal(email, patched["email"]!.GetValue<string>());

        var deactivated = (await server.Admin.PutAsync($"/v1/users/{id}/status", new { status = "DEACTIVATED" })).AssertOk();
        Assert.Equal("DEACTIVATED", deactivated["status"]!.GetValue<string>());
        Assert.Single((await server.Admin.GetAsync($"/v1/users?filter=id:eq:{id},status:eq:DEACTIVATED")).AssertOk()["records"]!.AsArray());
        Assert.Equal("ACTIVE", (await server.Admin.PutAsync($"/v1/users/{id}/status", new { status = "ACTIVE" })).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_email_is_unique_in_the_company_whatever_its_case()
    {
        var email = NewEmail("Unique");
        var first = await CreateUser(email);
        var duplicate = (await server.Admin.PostAsync("/v1/users", new { email = email.ToUpperInvariant() })).AssertError(409, "CONFLICT");
        Assert.Equal(["email"], Path(duplicate));

        var second = await CreateUser();
        (await Patch(second, new { email = email.ToLowerInvariant() })).AssertError(409, "CONFLICT");
        (await Patch(first, new { email = email.ToUpperInvariant() })).AssertOk(); // its own address, recased

        // Another company may use the same address.
        var other = await server.CreateTenantAsync("Other Co", "EUR");
        (await other.Admin.PostAsync("/v1/users", new { email })).AssertOk();
    }

    [Fact]
    public async Task Invalid_fields_are_400s_naming_their_path()
    {
        (await server.Admin.PostAsync("/v1/users", new { firstName = "No mail" })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["email"], Path((await server.Admin.PostAsync("/v1/users", new { email = "nope" })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["firstName"], Path((await server.Admin.PostAsync("/v1/users", new { email = NewEmail(), firstName = new string('x', 256) })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["country"], Path((await server.Admin.PostAsync("/v1/users", new { email = NewEmail(), country = "XX" })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["phoneNumber", "countryCode"], Path((await server.Admin.PostAsync("/v1/users",
            new { email = NewEmail(), phoneNumber = new { countryCode = "ZZ", localNumber = "1" } })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["roles", "0"], Path((await server.Admin.PostAsync("/v1/users", new { email = NewEmail(), roles = new[] { "ADMIN" } })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["companyEntityId"], Path((await server.Admin.PostAsync("/v1/users",
            new { email = NewEmail(), companyEntityId = Guid.NewGuid() })).AssertError(400, "BAD_REQUEST")));

        var id = await CreateUser();
        Assert.Equal(["email"], Path((await Patch(id, new { email = (string?)null })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["status"], Path((await server.Admin.PutAsync($"/v1/users/{id}/status", new { status = "SUSPENDED" })).AssertError(400, "BAD_REQUEST")));
        (await server.Admin.PutAsync("/v1/users/not-a-uuid/status", new { status = "ACTIVE" })).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Another_companys_user_is_not_found_and_viewers_cannot_write()
    {
        var other = await server.CreateTenantAsync("Elsewhere Inc", "USD");
        var foreign = (await other.Admin.PostAsync("/v1/users", new { email = NewEmail() })).AssertOk()["id"]!.GetValue<string>();
        (await Patch(foreign, new { city = "Oslo" })).AssertError(404, "NOT_FOUND");
        (await server.Admin.PutAsync($"/v1/users/{foreign}/status", new { status = "DEACTIVATED" })).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/users/{foreign}/reimbursement-config")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PutAsync($"/v1/users/{foreign}/reimbursement-config", new { currency = "USD" })).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/users/{foreign}/reimbursements/latest")).AssertError(404, "NOT_FOUND");
        Assert.Equal("ACTIVE", (await other.Admin.GetAsync($"/v1/users?filter=id:eq:{foreign}")).AssertOk()["records"]![0]!["status"]!.GetValue<string>());

        (await server.Viewer.PostAsync("/v1/users", new { email = NewEmail() })).AssertError(403, "FORBIDDEN");
        var mine = await CreateUser();
        (await server.Viewer.PutAsync($"/v1/users/{mine}/status", new { status = "DEACTIVATED" })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.GetAsync($"/v1/users/{mine}/reimbursements/latest")).AssertError(404, "NOT_FOUND"); // readable, none yet
    }

    [Fact]
    public async Task Reimbursement_config_is_upserted_and_read_back()
    {
        var id = await CreateUser();
        (await server.Admin.GetAsync($"/v1/users/{id}/reimbursement-config")).AssertError(404, "NOT_FOUND");

        var first = (await server.Admin.PutAsync($"/v1/users/{id}/reimbursement-config", new
        {
            currency = "EUR", bankCountry = "DE", bankName = "Bank of Tests", bankAccountNumber = "DE89370400440532013000", bankAccountBic = "COBADEFFXXX",
        })).AssertOk();
        Assert.Equal("EUR", first["currency"]!.GetValue<string>());
        Assert.Equal("ACTIVE", first["status"]!.GetValue<string>());
        Assert.Equal(id, first["userId"]!.GetValue<string>());

        var second = (await server.Admin.PutAsync($"/v1/users/{id}/reimbursement-config", new { currency = "USD", bankCountry = "US" })).AssertOk();
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Null(second["bankName"]); // a PUT replaces the whole configuration

        var read = (await server.Viewer.GetAsync($"/v1/users/{id}/reimbursement-config")).AssertOk();
        Assert.Equal("USD", read["currency"]!.GetValue<string>());

        Assert.Equal(["currency"], Path((await server.Admin.PutAsync($"/v1/users/{id}/reimbursement-config", new { bankCountry = "DE" })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["currency"], Path((await server.Admin.PutAsync($"/v1/users/{id}/reimbursement-config", new { currency = "EURO" })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal(["bankCountry"], Path((await server.Admin.PutAsync($"/v1/users/{id}/reimbursement-config", new { currency = "EUR", bankCountry = "XX" })).AssertError(400, "BAD_REQUEST")));
    }

    [Fact]
    public async Task Latest_reimbursement_is_404_until_there_is_one()
    {
        var id = await CreateUser();
        var none = (await server.Admin.GetAsync($"/v1/users/{id}/reimbursements/latest")).AssertError(404, "NOT_FOUND");
        Assert.Equal("No reimbursement for this user", none["message"]!.GetValue<string>());
        (await server.Admin.GetAsync($"/v1/users/{Guid.NewGuid()}/reimbursements/latest")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task A_key_bound_to_a_user_stops_while_the_user_is_deactivated()
    {
        var id = await CreateUser();
        var keys = new ApiKeyStore(server.Db, TimeProvider.System);
        var bound = await keys.CreateAsync(server.Company.CompanyId, Roles.Viewer, "bound", await keys.FindUserAsync(server.Company.CompanyId, id));
        var api = new ApiClient(server.BaseAddress, bound.Key);
        (await api.GetAsync("/v1/users?limit=1")).AssertOk();

        (await server.Admin.PutAsync($"/v1/users/{id}/status", new { status = "DEACTIVATED" })).AssertOk();
        var refused = (await api.GetAsync("/v1/users?limit=1")).AssertError(401, "UNAUTHORIZED");
        Assert.Contains("deactivated", refused["message"]!.GetValue<string>());
        (await server.Admin.GetAsync("/v1/users?limit=1")).AssertOk(); // unbound keys are unaffected
        await Assert.ThrowsAsync<ArgumentException>(() => keys.FindUserAsync(server.Company.CompanyId, id)); // no new keys for a deactivated user

        (await server.Admin.PutAsync($"/v1/users/{id}/status", new { status = "ACTIVE" })).AssertOk();
        (await api.GetAsync("/v1/users?limit=1")).AssertOk();
    }

    [Fact]
    public async Task Cli_binds_a_key_to_a_user_by_email()
    {
        var email = NewEmail("cli");
        var id = await CreateUser(email);
        var created = await Cli.CliRunner.RunAsync("keys", "create", "--company", server.Company.CompanyId.ToString(), "--role", "VIEWER",
            "--user", email.ToUpperInvariant(), "--database", server.ConnectionString);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var key = created.Stdout.Trim();
        (await new ApiClient(server.BaseAddress, key).GetAsync("/v1/users?limit=1")).AssertOk();
        var listed = (await new ApiKeyStore(server.Db, TimeProvider.System).ListAsync(server.Company.CompanyId)).Single(k => key.StartsWith(k.KeyPrefix) && k.Name == "viewer key");
        Assert.Equal(Guid.Parse(id), listed.UserId);

        var unknown = await Cli.CliRunner.RunAsync("keys", "create", "--company", server.Company.CompanyId.ToString(), "--role", "VIEWER",
            "--user", "nobody@example.com", "--database", server.ConnectionString);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("not found", unknown.Stderr);
    }
}
