using System.Text;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public class AuthenticationTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Light_style_basic_key_is_accepted()
    {
        var response = await server.Admin.GetAsync("/v1/companies/current");
        Assert.Equal("Acme Test Corp", response.AssertOk()["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rfc7617_basic_with_key_as_username_is_accepted()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(server.Company.AdminKey + ":"));
        var response = await server.Anonymous.SendAsync(HttpMethod.Get, "/v1/companies/current", authorization: $"Basic {encoded}");
        response.AssertOk();
    }

    [Fact]
    public async Task Missing_credentials_are_401_in_the_envelope()
    {
        var response = await server.Anonymous.GetAsync("/v1/vendors");
        var error = response.AssertError(401, "UNAUTHORIZED");
        Assert.Equal("Credentials are required to access this resource", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_key_is_401()
    {
        var response = await server.Anonymous.SendAsync(HttpMethod.Get, "/v1/vendors", authorization: "Basic ll_notarealkeyatall");
        response.AssertError(401, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Bearer_tokens_are_not_api_keys()
    {
        var response = await server.Anonymous.SendAsync(HttpMethod.Get, "/v1/vendors", authorization: $"Bearer {server.Company.AdminKey}");
        response.AssertError(401, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Revoked_key_stops_working_at_once()
    {
        var keys = new ApiKeyStore(server.Db, TimeProvider.System);
        var created = await keys.CreateAsync(server.Company.CompanyId, "ADMIN", "short-lived");
        var client = new ApiClient(server.BaseAddress, created.Key);
        (await client.GetAsync("/v1/companies/current")).AssertOk();

        Assert.True(await keys.RevokeAsync(created.Info.Id.ToString()));
        (await client.GetAsync("/v1/companies/current")).AssertError(401, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes()
    {
        await using var cmd = server.Db.CreateCommand("SELECT count(*) FROM api_keys WHERE encode(key_hash, 'escape') LIKE '%' || $1 || '%' OR key_prefix = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = server.Company.AdminKey });
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Viewer_may_read_but_every_write_is_403_and_changes_nothing()
    {
        (await server.Viewer.GetAsync("/v1/vendors")).AssertOk();
        var before = (await server.Admin.GetAsync("/v1/vendors")).Json["total"]!.GetValue<long>();

        (await server.Viewer.PostAsync("/v1/vendors", new { name = "Not allowed" })).AssertError(403, "FORBIDDEN");

        var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "Existing" })).AssertOk();
        var id = vendor["vendorId"]!.GetValue<string>();
        (await server.Viewer.PutAsync($"/v1/vendors/{id}", new { name = "Renamed" })).AssertError(403, "FORBIDDEN");

        Assert.Equal("Existing", (await server.Admin.GetAsync($"/v1/vendors/{id}")).Json["name"]!.GetValue<string>());
        Assert.Equal(before + 1, (await server.Admin.GetAsync("/v1/vendors")).Json["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Health_and_documents_need_no_key()
    {
        Assert.Equal(200, (await server.Anonymous.GetAsync("/health/live")).Code);
        Assert.Equal(200, (await server.Anonymous.GetAsync("/health/ready")).Code);
        Assert.Equal(200, (await server.Anonymous.GetAsync("/openapi.json")).Code);
    }
}

public class MalformedAuthorizationTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("Basic\t{0}")]
    [InlineData("{0}")]
    [InlineData("Token{0}")]
    [InlineData("Basic{0}")]
    public async Task A_malformed_header_is_401_and_never_echoes_the_key(string format)
    {
        var key = server.Company.AdminKey;
        var response = await server.Anonymous.SendAsync(HttpMethod.Get, "/v1/vendors", authorization: string.Format(format, key));
        response.AssertError(401, "UNAUTHORIZED");
        Assert.DoesNotContain(key, response.Body);
        Assert.DoesNotContain(key[3..15], response.Body);
    }
}
