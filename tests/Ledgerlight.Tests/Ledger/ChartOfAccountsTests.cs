using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class ChartOfAccountsTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_client_builds_the_chart_and_posts_to_the_new_account()
    {
        var created = (await server.Admin.PostAsync("/v1/ledger-accounts", new { code = 6250, label = "Cloud hosting", type = "GENERAL_AND_ADMINISTRATIVE_EXPENSE" })).AssertOk();
        Assert.Equal(6250, created["code"]!.GetValue<int>());
        Assert.Equal("ACTIVE", created["status"]!.GetValue<string>());
        Assert.Equal(server.Company.EntityId.ToString(), created["companyEntities"]![0]!["id"]!.GetValue<string>());
        var listed = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=code:eq:6250")).AssertOk();
        Assert.Single(listed["records"]!.AsArray());

        var kit = new LedgerTestKit(server.Admin);
        await kit.Post("2026-10-01", LedgerTestKit.Line(created["id"]!.GetValue<string>(), 9_900, "D"), LedgerTestKit.Line(await kit.Account(1200), 9_900, "C"));
        Assert.Equal(9_900, await kit.Balance(6250, "2026-12-31"));
    }

    [Fact]
    public async Task Code_clash_is_409_and_bad_input_400()
    {
        (await server.Admin.PostAsync("/v1/ledger-accounts", new { code = 4000, label = "Duplicate", type = "REVENUE" })).AssertError(409, "CONFLICT");
        var error = (await server.Admin.PostAsync("/v1/ledger-accounts", new { code = 4001, type = "MAGIC" })).AssertError(400, "BAD_REQUEST");
        var fields = error["errors"]!.AsArray().Select(e => e!["path"]![0]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "label", "type" }, fields);
        (await server.Admin.PostAsync("/v1/ledger-accounts", new { code = 4002, label = "Bank", type = "BANK" })).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.PostAsync("/v1/ledger-accounts", new { code = 4003, label = "No", type = "REVENUE" })).AssertError(403, "FORBIDDEN");
    }

    [Fact]
    public async Task Disabled_account_refuses_postings_and_keeps_its_history()
    {
        var kit = new LedgerTestKit(server.Admin);
        var account = (await server.Admin.PostAsync("/v1/ledger-accounts", new { code = 6260, label = "Old subscriptions", type = "OTHER_OPERATING_EXPENSE" })).AssertOk();
        var id = account["id"]!.GetValue<string>();
        await kit.Post("2026-10-02", LedgerTestKit.Line(id, 100, "D"), LedgerTestKit.Line(await kit.Account(1200), 100, "C"));

        var disabled = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/ledger-accounts/{id}", new { status = "DISABLED", label = "Old subscriptions (closed)" })).AssertOk();
        Assert.Equal("DISABLED", disabled["status"]!.GetValue<string>());
        Assert.Equal("Old subscriptions (closed)", disabled["label"]!.GetValue<string>());

        (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-10-03", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(id, 100, "D"), LedgerTestKit.Line(await kit.Account(1200), 100, "C") },
        })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal(100, await kit.Balance(6260, "2026-12-31"));
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/ledger-accounts/{id}", new { status = "GONE" })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/ledger-accounts/{Guid.NewGuid()}", new { label = "x" })).AssertError(404, "NOT_FOUND");
    }
}
