using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables.PurchaseOrders;

public class PurchaseOrderTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly PurchaseOrderKit _kit = new(server.Admin);

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static long L(JsonNode node, string field) => node[field]!.GetValue<long>();
    static IEnumerable<string> PathOf(JsonNode error, int i = 0) => error["errors"]![i]!["path"]!.AsArray().Select(p => p!.ToString());

    [Fact]
    public async Task Create_settles_lines_per_line_and_totals_are_their_sum()
    {
        var vendor = await _kit.Vendor();
        var standard = await _kit.TaxCode("STANDARD");   // 20%
        var reduced = await _kit.TaxCode("REDUCED");     // 10%
        var superReduced = await _kit.TaxCode("SUPER_REDUCED"); // 5%
        var po = await _kit.Create(new
        {
            vendorId = vendor, description = "Office chairs", deliveryDate = "2026-04-01", purchaseOrderDate = "2026-03-01",
            lines = new object[]
            {
                new { description = "chair", quantity = 1.5m, unitPrice = 333, taxCodeId = standard },    // 499.5 → 500 net, 100 tax
                new { quantity = 3, unitPrice = 1_001, taxCodeId = reduced },                           // 3003 net, 300.3 → 300 tax
                new { quantity = 0.5m, unitPrice = 21, taxCodeId = superReduced },                      // 10.5 → 11 net, 0.55 → 1 tax
                new { quantity = 0.333333m, unitPrice = 100 },                                          // 33.3333 → 33, no tax
                new { unitPrice = 7 },                                                                  // quantity defaults to 1
            },
        });

        Assert.Equal("IN_DRAFT", po["state"]!.GetValue<string>());
        Assert.Equal("ALL_EDITS_ALLOWED", po["editStatus"]!.GetValue<string>());
        Assert.Equal("USD", po["currency"]!.GetValue<string>());
        Assert.Equal(server.Company.EntityId.ToString(), po["companyEntityId"]!.GetValue<string>());
        Assert.Equal("orders@vendor.example", po["vendorEmail"]!.GetValue<string>()); // from the vendor
        var lines = po["lines"]!.AsArray();
        Assert.Equal([500L, 3003, 11, 33, 7], lines.Select(l => L(l!, "netAmount")));
        Assert.Equal([600L, 3303, 12, 33, 7], lines.Select(l => L(l!, "amount")));
        Assert.Equal(1.5m, lines[0]!["quantity"]!.GetValue<decimal>());
        Assert.Equal("1.5", lines[0]!["quantity"]!.ToJsonString());
        Assert.Equal(0.333333m, lines[3]!["quantity"]!.GetValue<decimal>());
        Assert.Equal(1m, lines[4]!["quantity"]!.GetValue<decimal>());
        Assert.Equal(3554, L(po, "totalNetAmount"));
        Assert.Equal(401, L(po, "totalTaxAmount"));
        Assert.Equal(3955, L(po, "totalAmount"));
        Assert.Equal(po.ToJsonString(), (await _kit.Get(Id(po))).ToJsonString());
    }

    [Fact]
    public async Task Create_checks_references_and_writes_nothing_when_wrong()
    {
        var other = await server.CreateTenantAsync("Other Co", "EUR");
        var foreignVendor = await new PurchaseOrderKit(other.Admin).Vendor("Foreign");
        var before = (await server.Admin.GetAsync("/v1/purchase-orders?limit=1")).AssertOk()["total"]!.GetValue<long>();

        var error = (await server.Admin.PostAsync("/v1/purchase-orders", new { vendorId = foreignVendor })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["vendorId"], PathOf(error));
        error = (await server.Admin.PostAsync("/v1/purchase-orders", new
        {
            currency = "XXY", lines = new object[] { new { quantity = 1, unitPrice = 1 }, new { quantity = -1, unitPrice = 5 }, new { quantity = 1 } },
        })).AssertError(400, "BAD_REQUEST");
        var paths = error["errors"]!.AsArray().Select(e => string.Join('.', e!["path"]!.AsArray().Select(p => p!.ToString()))).ToList();
        Assert.Contains("currency", paths);
        Assert.Contains("lines.1.quantity", paths);
        Assert.Contains("lines.2.unitPrice", paths);
        error = (await server.Admin.PostAsync("/v1/purchase-orders", new { lines = new[] { new { unitPrice = 1, taxCodeId = Guid.NewGuid() } } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal(["lines", "0", "taxCodeId"], PathOf(error));

        Assert.Equal(before, (await server.Admin.GetAsync("/v1/purchase-orders?limit=1")).AssertOk()["total"]!.GetValue<long>());
        // Currency is the company's unless given; the other company's default is its own.
        var eur = (await other.Admin.PostAsync("/v1/purchase-orders", new { vendorId = foreignVendor })).AssertOk();
        Assert.Equal("EUR", eur["currency"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_null_clears_omitted_keeps()
    {
        var po = await _kit.Create(new { vendorId = await _kit.Vendor(), description = "keep me", deliveryAddress = "Dock 4", currency = "EUR" });
        var patched = (await _kit.Patch($"/v1/purchase-orders/{Id(po)}", new { deliveryAddress = (string?)null, deliveryDate = "2026-05-05" })).AssertOk();
        Assert.Null(patched["deliveryAddress"]);
        Assert.Equal("keep me", patched["description"]!.GetValue<string>());
        Assert.Equal("2026-05-05", patched["deliveryDate"]!.GetValue<string>());
        Assert.Equal("EUR", patched["currency"]!.GetValue<string>());
        Assert.Equal(po["vendorId"]!.GetValue<string>(), patched["vendorId"]!.GetValue<string>());

        var error = (await _kit.Patch($"/v1/purchase-orders/{Id(po)}", new { currency = (string?)null, description = "x" })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["currency"], PathOf(error));
        Assert.Equal("keep me", (await _kit.Get(Id(po)))["description"]!.GetValue<string>());
    }

    public static TheoryData<string, string, int> Transitions()
    {
        var data = new TheoryData<string, string, int>();
        var allowed = new Dictionary<string, string[]>
        {
            ["lock"] = ["IN_DRAFT"], ["close"] = ["OPEN"], ["cancel"] = ["IN_DRAFT", "OPEN"], ["reset"] = ["OPEN", "CLOSED"],
        };
        foreach (var (action, from) in allowed)
            foreach (var state in new[] { "IN_DRAFT", "OPEN", "CLOSED", "CANCELLED" })
                data.Add(state, action, from.Contains(state) ? 200 : 409);
        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task State_machine_allows_only_its_transitions(string state, string action, int expected)
    {
        var po = await _kit.InState(state);
        var response = await server.Admin.PostAsync($"/v1/purchase-orders/{Id(po)}/{action}");
        if (expected == 409)
        {
            var error = response.AssertError(409, "CONFLICT");
            Assert.Contains(state, error["message"]!.GetValue<string>());
            Assert.Equal(state, (await _kit.Get(Id(po)))["state"]!.GetValue<string>());
            return;
        }
        var after = response.AssertOk();
        var next = action switch { "lock" => "OPEN", "close" => "CLOSED", "cancel" => "CANCELLED", _ => "IN_DRAFT" };
        Assert.Equal(next, after["state"]!.GetValue<string>());
        Assert.Equal(next == "IN_DRAFT" ? "ALL_EDITS_ALLOWED" : "ALL_EDITS_LOCKED", after["editStatus"]!.GetValue<string>());
        if (next == "OPEN") Assert.NotNull(after["lockedAt"]);
        if (next == "CLOSED") Assert.NotNull(after["closedAt"]);
        if (next == "CANCELLED") Assert.NotNull(after["cancelledAt"]);
        if (next == "IN_DRAFT") Assert.Null(after["lockedAt"]);
    }

    [Theory]
    [InlineData("OPEN")]
    [InlineData("CLOSED")]
    [InlineData("CANCELLED")]
    public async Task Only_drafts_take_edits(string state)
    {
        var po = await _kit.InState(state);
        var id = Id(po);
        var lineId = Id(po["lines"]![0]!);
        var attempts = new[]
        {
            await _kit.Patch($"/v1/purchase-orders/{id}", new { description = "late" }),
            await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines", new { quantity = 1, unitPrice = 1 }),
            await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", new[] { new { quantity = 1, unitPrice = 1 } }),
            await server.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new[] { new { lineId, unitPrice = 1 } }),
            await _kit.Patch($"/v1/purchase-orders/{id}/lines/{lineId}", new { unitPrice = 1 }),
            await _kit.Delete($"/v1/purchase-orders/{id}/lines/{lineId}"),
        };
        foreach (var attempt in attempts)
            Assert.Contains(state, attempt.AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        var after = await _kit.Get(id);
        Assert.Single(after["lines"]!.AsArray());
        Assert.Equal(10_000, L(after, "totalAmount"));
    }

    [Fact]
    public async Task Lock_needs_a_vendor_and_lines()
    {
        var empty = await _kit.Create(new { description = "nothing yet" });
        var error = (await server.Admin.PostAsync($"/v1/purchase-orders/{Id(empty)}/lock")).AssertError(422, "UNPROCESSABLE_CONTENT");
        var paths = error["errors"]!.AsArray().Select(e => e!["path"]![0]!.ToString()).ToList();
        Assert.Equal(["vendorId", "lines"], paths);
    }

    [Fact]
    public async Task Line_create_patch_delete_keep_totals_in_step()
    {
        var po = await _kit.Draft();
        var id = Id(po);
        var standard = await _kit.TaxCode("STANDARD");
        var line = (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines", new { quantity = 2.25m, unitPrice = 999, taxCodeId = standard, description = "d" })).AssertOk();
        Assert.Equal(2248, L(line, "netAmount")); // 2247.75 → 2248
        Assert.Equal(2698, L(line, "amount"));    // tax 449.6 → 450
        Assert.Equal(id, line["purchaseOrderId"]!.GetValue<string>());
        Assert.Equal(12_698, L(await _kit.Get(id), "totalAmount"));

        // PATCH: null clears the tax code (no tax), omitted fields stay.
        var patched = (await _kit.Patch($"/v1/purchase-orders/{id}/lines/{Id(line)}", new { taxCodeId = (string?)null, quantity = 2 })).AssertOk();
        Assert.Null(patched["taxCodeId"]);
        Assert.Equal("d", patched["description"]!.GetValue<string>());
        Assert.Equal(1998, L(patched, "amount"));
        Assert.Equal(11_998, L(await _kit.Get(id), "totalAmount"));
        (await _kit.Patch($"/v1/purchase-orders/{id}/lines/{Id(line)}", new { unitPrice = (long?)null })).AssertError(400, "BAD_REQUEST");

        Assert.Equal("{}", (await _kit.Delete($"/v1/purchase-orders/{id}/lines/{Id(line)}")).AssertOk().ToJsonString());
        var after = await _kit.Get(id);
        Assert.Equal(10_000, L(after, "totalAmount"));
        Assert.Single(after["lines"]!.AsArray());
        (await _kit.Delete($"/v1/purchase-orders/{id}/lines/{Id(line)}")).AssertError(404, "NOT_FOUND");
        (await _kit.Patch($"/v1/purchase-orders/{id}/lines/{Guid.NewGuid()}", new { unitPrice = 1 })).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Bulk_create_validates_the_whole_batch_before_writing()
    {
        var po = await _kit.Draft();
        var id = Id(po);
        var bad = await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[]
        {
            new { quantity = 1, unitPrice = 100 },
            new { quantity = 0, unitPrice = 100 },
            new { quantity = 1, unitPrice = 100, accountId = Guid.NewGuid() },
        });
        Assert.Equal(["1", "quantity"], PathOf(bad.AssertError(400, "BAD_REQUEST")));
        var badRef = await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[]
        {
            new { quantity = 1, unitPrice = 100 },
            new { quantity = 1, unitPrice = 100, accountId = Guid.NewGuid() },
        });
        Assert.Equal(["1", "accountId"], PathOf(badRef.AssertError(400, "BAD_REQUEST")));
        var wrongType = await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", "[{\"unitPrice\":1},{\"unitPrice\":\"ten\"}]");
        Assert.Equal(["1", "unitPrice"], PathOf(wrongType.AssertError(400, "BAD_REQUEST")));
        var tooMany = Enumerable.Range(0, 501).Select(_ => new { quantity = 1, unitPrice = 1 }).ToArray();
        (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", tooMany)).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", new { quantity = 1 })).AssertError(400, "BAD_REQUEST");

        var unchanged = await _kit.Get(id);
        Assert.Single(unchanged["lines"]!.AsArray());
        Assert.Equal(10_000, L(unchanged, "totalAmount"));

        var created = (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[]
        {
            new { quantity = 1, unitPrice = 100, description = "a" }, new { quantity = 2, unitPrice = 50, description = "b" },
        })).AssertOk().AsArray();
        Assert.Equal(["a", "b"], created.Select(l => l!["description"]!.GetValue<string>()));
        var after = await _kit.Get(id);
        Assert.Equal(3, after["lines"]!.AsArray().Count);
        Assert.Equal(10_200, L(after, "totalAmount"));
    }

    [Fact]
    public async Task Batch_update_is_all_or_nothing()
    {
        var po = await _kit.Create(new
        {
            vendorId = await _kit.Vendor(), lines = new[] { new { quantity = 1, unitPrice = 100 }, new { quantity = 1, unitPrice = 200 } },
        });
        var id = Id(po);
        var (a, b) = (Id(po["lines"]![0]!), Id(po["lines"]![1]!));
        var foreignLine = Id((await _kit.Draft())["lines"]![0]!);

        var error = (await server.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[]
        {
            new { lineId = a, unitPrice = 999 }, new { lineId = foreignLine, unitPrice = 1 },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["1", "lineId"], PathOf(error));
        error = (await server.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[]
        {
            new { lineId = a, unitPrice = 999 }, new { lineId = b, quantity = -2 },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["1", "quantity"], PathOf(error));
        error = (await server.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[] { new { unitPrice = 1 } })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["0", "lineId"], PathOf(error));
        Assert.Equal(300, L(await _kit.Get(id), "totalAmount"));

        var updated = (await server.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new object[]
        {
            new { lineId = b, quantity = 3 }, new { lineId = a, unitPrice = 150, description = "first" },
        })).AssertOk().AsArray();
        Assert.Equal([b, a], updated.Select(l => Id(l!)));
        Assert.Equal(600, L(updated[0]!, "amount"));
        Assert.Equal(150, L(updated[1]!, "amount"));
        Assert.Equal(750, L(await _kit.Get(id), "totalAmount"));
    }

    [Fact]
    public async Task Another_company_sees_404_and_viewer_cannot_write()
    {
        var po = await _kit.Draft();
        var id = Id(po);
        var lineId = Id(po["lines"]![0]!);
        var other = await server.CreateTenantAsync("Snoop Inc", "USD");
        var otherKit = new PurchaseOrderKit(other.Admin);
        foreach (var response in new[]
                 {
                     await other.Admin.GetAsync($"/v1/purchase-orders/{id}"),
                     await otherKit.Patch($"/v1/purchase-orders/{id}", new { description = "x" }),
                     await other.Admin.PostAsync($"/v1/purchase-orders/{id}/lock"),
                     await other.Admin.PostAsync($"/v1/purchase-orders/{id}/cancel"),
                     await other.Admin.PostAsync($"/v1/purchase-orders/{id}/lines", new { unitPrice = 1 }),
                     await other.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new[] { new { lineId, unitPrice = 1 } }),
                     await otherKit.Patch($"/v1/purchase-orders/{id}/lines/{lineId}", new { unitPrice = 1 }),
                     await otherKit.Delete($"/v1/purchase-orders/{id}/lines/{lineId}"),
                 })
            response.AssertError(404, "NOT_FOUND");
        Assert.DoesNotContain((await other.Admin.GetAsync("/v1/purchase-orders")).AssertOk()["records"]!.AsArray(), p => Id(p!) == id);

        (await server.Viewer.GetAsync($"/v1/purchase-orders/{id}")).AssertOk();
        (await server.Viewer.GetAsync("/v1/purchase-orders")).AssertOk();
        (await server.Viewer.PostAsync("/v1/purchase-orders", new { })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PostAsync($"/v1/purchase-orders/{id}/lock")).AssertError(403, "FORBIDDEN");
        (await server.Viewer.SendAsync(HttpMethod.Delete, $"/v1/purchase-orders/{id}/lines/{lineId}")).AssertError(403, "FORBIDDEN");
        (await server.Admin.GetAsync("/v1/purchase-orders/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        (await _kit.Delete($"/v1/purchase-orders/{id}/lines/nope")).AssertError(400, "BAD_REQUEST");
        Assert.Single((await _kit.Get(id))["lines"]!.AsArray());
    }

    [Fact]
    public async Task List_filters_sorts_and_pages()
    {
        var vendor = await _kit.Vendor("Zeta Listing Supplies");
        var ids = new List<string>();
        foreach (var price in new[] { 300, 100, 200 })
            ids.Add(Id(await _kit.Create(new { vendorId = vendor, lines = new[] { new { quantity = 1.5m, unitPrice = price } } })));
        (await server.Admin.PostAsync($"/v1/purchase-orders/{ids[0]}/lock")).AssertOk();

        var byVendor = (await server.Admin.GetAsync($"/v1/purchase-orders?filter=vendorId:eq:{vendor}&sort=totalAmount:asc")).AssertOk();
        var records = byVendor["records"]!.AsArray();
        Assert.Equal([ids[1], ids[2], ids[0]], records.Select(r => Id(r!)));
        Assert.Equal(3, byVendor["total"]!.GetValue<long>());
        Assert.Equal("Zeta Listing Supplies", records[0]!["vendorName"]!.GetValue<string>());
        Assert.Equal(0, L(records[0]!, "totalMatchedAmount"));
        var line = records[0]!["lines"]![0]!;
        Assert.Equal(150, L(line, "netAmount"));
        Assert.Null(line["quantity"]); // fractional: Light's list schema has an integer quantity

        var open = (await server.Admin.GetAsync($"/v1/purchase-orders?filter=vendorId:eq:{vendor},state:eq:OPEN")).AssertOk()["records"]!.AsArray();
        Assert.Equal([ids[0]], open.Select(r => Id(r!)));
        var notOpen = (await server.Admin.GetAsync($"/v1/purchase-orders?filter=vendorId:eq:{vendor},state:in:IN_DRAFT|CLOSED")).AssertOk();
        Assert.Equal(2, notOpen["records"]!.AsArray().Count);

        var first = (await server.Admin.GetAsync($"/v1/purchase-orders?filter=vendorId:eq:{vendor}&sort=totalAmount:desc&limit=2&cursor=0")).AssertOk();
        Assert.Equal([ids[0], ids[2]], first["records"]!.AsArray().Select(r => Id(r!)));
        var second = (await server.Admin.GetAsync(
            $"/v1/purchase-orders?filter=vendorId:eq:{vendor}&sort=totalAmount:desc&limit=2&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal([ids[1]], second["records"]!.AsArray().Select(r => Id(r!)));
        Assert.False(second["hasMore"]!.GetValue<bool>());

        (await server.Admin.GetAsync("/v1/purchase-orders?sort=description:asc")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/purchase-orders?filter=totalAmount:gt:5")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/purchase-orders?sort=vendorName:asc,ownerName:desc,closedAt:asc&limit=1&cursor=0")).AssertOk();
    }
}
