using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class LedgerLineListTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    readonly LedgerTestKit _kit = new(server.Admin);

    public async Task InitializeAsync()
    {
        if ((await server.Admin.GetAsync("/v1/ledger-transaction-lines?limit=1")).AssertOk()["total"]!.GetValue<long>() > 0) return;
        for (var day = 1; day <= 20; day++)
            await _kit.Post($"2026-07-{day:D2}", LedgerTestKit.Line(await _kit.Account(6200), day * 100, "D"), LedgerTestKit.Line(await _kit.Account(1200), day * 100, "C"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Alias_path_serves_the_same_lines()
    {
        var canonical = (await server.Admin.GetAsync("/v1/ledger-transaction-lines?limit=200")).AssertOk();
        var alias = (await server.Admin.GetAsync("/v1/ledger-transactions/lines?limit=200")).AssertOk();
        Assert.Equal(40, canonical["total"]!.GetValue<long>());
        Assert.Equal(canonical.ToJsonString(), alias.ToJsonString());
    }

    [Fact]
    public async Task Filters_by_account_dates_and_amounts()
    {
        var byCode = (await server.Admin.GetAsync("/v1/ledger-transaction-lines?filter=accountCode:eq:6200&limit=200")).AssertOk();
        Assert.Equal(20, byCode["total"]!.GetValue<long>());
        var range = (await server.Admin.GetAsync("/v1/ledger-transaction-lines?filter=postingDate:gte:2026-07-05,postingDate:lt:2026-07-10&limit=200")).AssertOk();
        Assert.Equal(10, range["total"]!.GetValue<long>());
        Assert.All(range["records"]!.AsArray(), l => Assert.InRange(l!["postingDate"]!.GetValue<string>(), "2026-07-05", "2026-07-09"));
        var big = (await server.Admin.GetAsync("/v1/ledger-transaction-lines?filter=localAmount:gt:1500,accountType:eq:BANK")).AssertOk();
        Assert.Equal(5, big["total"]!.GetValue<long>());
        var entity = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=companyEntityId:eq:{server.Company.EntityId},documentType:eq:JE,ledgerName:eq:PRIMARY")).AssertOk();
        Assert.Equal(40, entity["total"]!.GetValue<long>());
        (await server.Admin.GetAsync("/v1/ledger-transaction-lines?filter=postingDate:gt:July")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/ledger-transaction-lines?filter=amount:gt:1")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Max_line_amount_on_request()
    {
        var page = (await server.Admin.GetAsync("/v1/ledger-transaction-lines?includeMaxLineAmount=true&filter=postingDate:lte:2026-07-03")).AssertOk();
        Assert.Equal(300, page["maxTransactionAmount"]!.GetValue<long>());
        Assert.Null((await server.Admin.GetAsync("/v1/ledger-transaction-lines")).AssertOk()["maxTransactionAmount"]);
    }

    [Fact]
    public async Task Cursor_walk_by_account_code_and_posting_date_sees_every_line_once()
    {
        var seen = new List<string>();
        var cursor = "0";
        string? previousCode = null;
        while (true)
        {
            var page = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?cursor={cursor}&limit=7&sort=accountCode:desc,postingDate:asc")).AssertOk();
            foreach (var line in page["records"]!.AsArray())
            {
                seen.Add(line!["id"]!.GetValue<string>());
                var code = line["accountCode"]!.ToString();
                if (previousCode is not null) Assert.True(string.CompareOrdinal(previousCode, code) >= 0);
                previousCode = code;
            }
            var next = page["nextCursor"]?.GetValue<string>();
            if (next is null) break;
            cursor = next;
        }
        Assert.Equal(40, seen.Distinct().Count());
        Assert.Equal(40, seen.Count);
    }

    [Fact]
    public async Task Accounting_documents_feed_lists_posted_entries_with_amounts()
    {
        var feed = (await server.Admin.GetAsync("/v1/accounting-documents/accounting-documents?filter=documentType:eq:JE,postingDate:gte:2026-07-19&sort=postingDate:asc")).AssertOk();
        var records = feed["records"]!.AsArray();
        Assert.Equal(2, records.Count);
        Assert.Equal(1_900, records[0]!["totalTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal("POSTED", records[0]!["status"]!.GetValue<string>());
        var byAccount = (await server.Admin.GetAsync("/v1/accounting-documents/accounting-documents?filter=accountCode:eq:6200")).AssertOk();
        Assert.Equal(20, byAccount["total"]!.GetValue<long>());
        var none = (await server.Admin.GetAsync("/v1/accounting-documents/accounting-documents?filter=accountCode:eq:4000")).AssertOk();
        Assert.Equal(0, none["total"]!.GetValue<long>());
    }
}
