using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public class QueryLanguageTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    const int Count = 60;
    List<string> _ids = [];

    public async Task InitializeAsync()
    {
        // The fixture is shared by the class; seed once.
        var existing = (await server.Admin.GetAsync("/v1/vendors?filter=type:eq:EXTERNAL")).Json["total"]!.GetValue<long>();
        if (existing >= Count) { _ids = await AllIds(server.Admin, "/v1/vendors?limit=200"); return; }
        for (var i = 0; i < Count; i++)
        {
            var body = new Dictionary<string, object?> { ["name"] = $"Vendor {i:D3}", ["email"] = $"v{i}@example.com" };
            if (i % 3 == 0) body["vatId"] = $"VAT-{i}";
            if (i == 7) body["name"] = "Zebra Paper Mills";
            (await server.Admin.PostAsync("/v1/vendors", body)).AssertOk();
        }
        _ids = await AllIds(server.Admin, "/v1/vendors?limit=200");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static async Task<List<string>> AllIds(ApiClient client, string path) =>
        (await client.GetAsync(path)).AssertOk()["records"]!.AsArray().Select(r => r!["vendorId"]!.GetValue<string>()).ToList();

    static List<string> Names(JsonNode page) => page["records"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Default_limit_is_50_with_total_and_hasMore()
    {
        var page = (await server.Admin.GetAsync("/v1/vendors")).AssertOk();
        Assert.Equal(50, page["records"]!.AsArray().Count);
        Assert.True(page["hasMore"]!.GetValue<bool>());
        Assert.Equal(Count, page["total"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("limit=201")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    [InlineData("sort=nope:asc")]
    [InlineData("sort=name:up")]
    [InlineData("filter=nope:eq:1")]
    [InlineData("filter=status:like:ACTIVE")]
    [InlineData("filter=status")]
    [InlineData("filter=id:eq:not-a-uuid")]
    [InlineData("filter=spendLastMtd:gt:lots")]
    [InlineData("filter=createdAt:gt:yesterday")]
    [InlineData("filter=spendLastMtd:gt:null")]
    [InlineData("cursor=garbage")]
    public async Task Bad_query_parameters_are_400_envelopes(string query)
    {
        (await server.Admin.GetAsync($"/v1/vendors?{query}")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Limit_200_is_allowed()
    {
        var page = (await server.Admin.GetAsync("/v1/vendors?limit=200")).AssertOk();
        Assert.Equal(Count, page["records"]!.AsArray().Count);
        Assert.False(page["hasMore"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Sort_by_name_both_directions()
    {
        var asc = Names((await server.Admin.GetAsync("/v1/vendors?sort=name:asc&limit=200")).AssertOk());
        var desc = Names((await server.Admin.GetAsync("/v1/vendors?sort=name:desc&limit=200")).AssertOk());
        Assert.Equal(asc.OrderBy(n => n, StringComparer.Ordinal), asc);
        Assert.Equal(asc.AsEnumerable().Reverse(), desc);
        Assert.Equal("Zebra Paper Mills", desc[0]);
    }

    [Fact]
    public async Task Multiple_sort_fields_are_applied_in_order()
    {
        var page = (await server.Admin.GetAsync("/v1/vendors?sort=spendLastMtd:desc,name:asc&limit=5")).AssertOk();
        Assert.Equal(["Vendor 000", "Vendor 001", "Vendor 002", "Vendor 003", "Vendor 004"], Names(page));
    }

    [Fact]
    public async Task Offset_pages_through_in_order()
    {
        var first = Names((await server.Admin.GetAsync("/v1/vendors?sort=name:asc&limit=10")).AssertOk());
        var second = Names((await server.Admin.GetAsync("/v1/vendors?sort=name:asc&limit=10&offset=10")).AssertOk());
        var all = Names((await server.Admin.GetAsync("/v1/vendors?sort=name:asc&limit=20")).AssertOk());
        Assert.Equal(all, first.Concat(second));
    }

    [Fact]
    public async Task Filter_eq_in_not_in_and_null()
    {
        var one = _ids[5];
        var eq = (await server.Admin.GetAsync($"/v1/vendors?filter=id:eq:{one}")).AssertOk();
        Assert.Single(eq["records"]!.AsArray());

        var inFilter = (await server.Admin.GetAsync($"/v1/vendors?filter=id:in:{_ids[1]}|{_ids[2]}|{_ids[3]}")).AssertOk();
        Assert.Equal(3, inFilter["total"]!.GetValue<long>());

        var notIn = (await server.Admin.GetAsync($"/v1/vendors?filter=id:not_in:{_ids[1]}|{_ids[2]}")).AssertOk();
        Assert.Equal(Count - 2, notIn["total"]!.GetValue<long>());

        var noAccount = (await server.Admin.GetAsync("/v1/vendors?filter=ledgerAccountId:eq:null")).AssertOk();
        Assert.Equal(Count, noAccount["total"]!.GetValue<long>());
        var withAccount = (await server.Admin.GetAsync("/v1/vendors?filter=ledgerAccountId:ne:null")).AssertOk();
        Assert.Equal(0, withAccount["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Range_filters_on_numbers_and_timestamps()
    {
        Assert.Equal(Count, (await server.Admin.GetAsync("/v1/vendors?filter=spendLastMtd:gte:0")).AssertOk()["total"]!.GetValue<long>());
        Assert.Equal(0, (await server.Admin.GetAsync("/v1/vendors?filter=spendLastMtd:gt:0")).AssertOk()["total"]!.GetValue<long>());
        Assert.Equal(0, (await server.Admin.GetAsync("/v1/vendors?filter=spendLastMtd:lt:0")).AssertOk()["total"]!.GetValue<long>());
        Assert.Equal(Count, (await server.Admin.GetAsync("/v1/vendors?filter=spendLastMtd:lte:0")).AssertOk()["total"]!.GetValue<long>());

        var tenth = (await server.Admin.GetAsync($"/v1/vendors/{_ids[^10]}")).AssertOk()["vendorCreatedAt"]!.GetValue<string>();
        var after = (await server.Admin.GetAsync($"/v1/vendors?filter=createdAt:gt:{tenth}")).AssertOk()["total"]!.GetValue<long>();
        var atOrAfter = (await server.Admin.GetAsync($"/v1/vendors?filter=createdAt:gte:{tenth}")).AssertOk()["total"]!.GetValue<long>();
        Assert.Equal(after + 1, atOrAfter);
        Assert.Equal(0, (await server.Admin.GetAsync("/v1/vendors?filter=createdAt:lt:2000-01-01")).AssertOk()["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Several_filters_combine_with_and()
    {
        var page = (await server.Admin.GetAsync($"/v1/vendors?filter=status:eq:ACTIVE,id:in:{_ids[0]}|{_ids[1]},type:ne:USER")).AssertOk();
        Assert.Equal(2, page["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Search_term_matches_partially_and_ignores_case()
    {
        var page = (await server.Admin.GetAsync("/v1/vendors?searchTerm=zEbRa paper")).AssertOk();
        Assert.Equal(["Zebra Paper Mills"], Names(page));
        Assert.Equal(1, (await server.Admin.GetAsync("/v1/vendors?searchTerm=v12@EXAMPLE")).AssertOk()["total"]!.GetValue<long>());
        Assert.Equal(0, (await server.Admin.GetAsync("/v1/vendors?searchTerm=%25")).AssertOk()["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Cursor_walk_visits_every_row_once_and_prev_goes_back()
    {
        var seen = new List<string>();
        var pages = new List<(string? Prev, List<string> Ids)>();
        string cursor = "0";
        while (true)
        {
            var page = (await server.Admin.GetAsync($"/v1/vendors?cursor={cursor}&limit=7&sort=name:asc")).AssertOk();
            Assert.Null(page["total"]);
            var ids = page["records"]!.AsArray().Select(r => r!["vendorId"]!.GetValue<string>()).ToList();
            pages.Add((page["prevCursor"]?.GetValue<string>(), ids));
            seen.AddRange(ids);
            var next = page["nextCursor"]?.GetValue<string>();
            if (next is null) { Assert.False(page["hasMore"]!.GetValue<bool>()); break; }
            Assert.True(page["hasMore"]!.GetValue<bool>());
            cursor = next;
        }
        Assert.Equal(Count, seen.Count);
        Assert.Equal(Count, seen.Distinct().Count());
        Assert.Null(pages[0].Prev);

        // prevCursor of page 3 gives back exactly page 2.
        var back = (await server.Admin.GetAsync($"/v1/vendors?cursor={pages[2].Prev}&limit=7&sort=name:asc")).AssertOk();
        Assert.Equal(pages[1].Ids, back["records"]!.AsArray().Select(r => r!["vendorId"]!.GetValue<string>()).ToList());
    }

    [Fact]
    public async Task Cursor_of_one_sort_is_refused_with_another()
    {
        var page = (await server.Admin.GetAsync("/v1/vendors?cursor=0&limit=5&sort=name:asc")).AssertOk();
        var next = page["nextCursor"]!.GetValue<string>();
        (await server.Admin.GetAsync($"/v1/vendors?cursor={next}&limit=5&sort=name:desc")).AssertError(400, "BAD_REQUEST");
    }
}

/// <summary>Cursor stability while other clients insert rows between page requests.</summary>
public class CursorConcurrencyTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Walking_by_cursor_under_concurrent_inserts_has_no_duplicates_or_gaps()
    {
        var original = new List<string>();
        for (var i = 0; i < 40; i++)
            original.Add((await server.Admin.PostAsync("/v1/vendors", new { name = $"Original {i:D2}" })).AssertOk()["vendorId"]!.GetValue<string>());

        // Default order is newest first: rows inserted during the walk land before the cursor.
        var seen = new List<string>();
        string cursor = "0";
        var inserted = 0;
        while (true)
        {
            var page = (await server.Admin.GetAsync($"/v1/vendors?cursor={cursor}&limit=6")).AssertOk();
            seen.AddRange(page["records"]!.AsArray().Select(r => r!["vendorId"]!.GetValue<string>()));
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
                server.Admin.PostAsync("/v1/vendors", new { name = $"Concurrent {Interlocked.Increment(ref inserted)}" })));
            var next = page["nextCursor"]?.GetValue<string>();
            if (next is null) break;
            cursor = next;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(original.Except(seen));
    }
}
