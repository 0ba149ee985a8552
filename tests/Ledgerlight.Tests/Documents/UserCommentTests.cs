using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Documents;

public class UserCommentTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Only_the_author_edits_or_deletes_and_lists_are_per_resource_and_company()
    {
        var resourceId = Guid.NewGuid();
        var created = (await server.Admin.PostAsync("/v1/user-comments", new { resourceId, content = "Please check the VAT id" })).AssertOk();
        var id = created["id"]!.GetValue<string>();
        (await server.Admin.PostAsync("/v1/user-comments", new { resourceId = Guid.NewGuid(), content = "elsewhere" })).AssertOk();

        var list = (await server.Viewer.GetAsync($"/v1/user-comments?resourceId={resourceId}&cursor=0")).AssertOk();
        Assert.Equal(id, Assert.Single(list["records"]!.AsArray())!["id"]!.GetValue<string>());
        var author = created["createdBy"]!.GetValue<string>();
        Assert.NotEmpty((await server.Admin.GetAsync($"/v1/user-comments?filter=createdBy:eq:{author}")).AssertOk()["records"]!.AsArray());

        // A second writer in the same company (an AP clerk key) may comment, but not edit someone else's comment.
        var keys = new ApiKeyStore(server.Db, TimeProvider.System);
        var clerk = new ApiClient(server.BaseAddress, (await keys.CreateAsync(server.Company.CompanyId, Roles.ApClerk, "clerk")).Key);
        (await clerk.SendAsync(HttpMethod.Patch, $"/v1/user-comments/{id}", new { content = "hijack" })).AssertError(403, "FORBIDDEN");
        (await clerk.SendAsync(HttpMethod.Delete, $"/v1/user-comments/{id}")).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PostAsync("/v1/user-comments", new { resourceId, content = "no" })).AssertError(403, "FORBIDDEN");

        var edited = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/user-comments/{id}", new { content = "Checked" })).AssertOk();
        Assert.Equal("Checked", edited["content"]!.GetValue<string>());
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/user-comments/{id}", new { content = "" })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync("/v1/user-comments", new { content = "no resource" })).AssertError(400, "BAD_REQUEST");

        var other = await server.CreateTenantAsync("Other Comments Co", "USD");
        Assert.Empty((await other.Admin.GetAsync($"/v1/user-comments?resourceId={resourceId}")).AssertOk()["records"]!.AsArray());
        (await other.Admin.SendAsync(HttpMethod.Delete, $"/v1/user-comments/{id}")).AssertError(404, "NOT_FOUND");

        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/user-comments/{id}")).AssertOk();
        Assert.Empty((await server.Admin.GetAsync($"/v1/user-comments?resourceId={resourceId}")).AssertOk()["records"]!.AsArray());
    }
}
