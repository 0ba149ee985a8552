using System.Text.Json.Nodes;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Spend.CardTransactions;

/// <summary>list, get, PATCH, line PATCH, batch update and receipts against a real server.</summary>
public class CardTransactionEditTests(ApiServer server) : IClassFixture<ApiServer>
{
    static List<string> Ids(JsonNode page) => page["records"]!.AsArray().Select(r => r!.Id()).ToList();

    static string Path(JsonNode error, int i = 0) => string.Join('.', error["errors"]![i]!["path"]!.AsArray().Select(p => p!.ToString()));

    [Fact]
    public async Task List_filters_sorts_and_pages_with_a_cursor()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var a = await kit.CapturedAsync(100, "2026-02-01T10:00:00Z");
        var b = await kit.CapturedAsync(200, "2026-02-02T10:00:00Z");
        var c = await kit.AuthorizedAsync(300, "2026-02-03T10:00:00Z");
        var admin = kit.Tenant.Admin;

        Assert.Equal(new[] { c, b, a }, Ids((await admin.GetAsync("/v1/card-transactions")).AssertOk()));
        Assert.Equal(new[] { a, b }, Ids((await admin.GetAsync("/v1/card-transactions?filter=status:eq:CAPTURED&sort=performedAt:asc")).AssertOk()));
        Assert.Equal(new[] { b, c }, Ids((await admin.GetAsync(
            $"/v1/card-transactions?filter=performedAt:gte:2026-02-02T00:00:00Z,cardId:eq:{kit.Card}&sort=performedAt:asc")).AssertOk()));
        Assert.Equal(new[] { b, a }, Ids((await admin.GetAsync("/v1/card-transactions?onlyPostable=true")).AssertOk()));

        var first = (await admin.GetAsync("/v1/card-transactions?limit=2&cursor=0&sort=performedAt:asc")).AssertOk();
        Assert.Equal(new[] { a, b }, Ids(first));
        var second = (await admin.GetAsync($"/v1/card-transactions?limit=2&sort=performedAt:asc&cursor={first["nextCursor"]}")).AssertOk();
        Assert.Equal(new[] { c }, Ids(second));
        Assert.False(second["hasMore"]!.GetValue<bool>());

        (await admin.GetAsync("/v1/card-transactions?sort=amount:desc")).AssertError(400, "BAD_REQUEST");
        (await admin.GetAsync("/v1/card-transactions?filter=merchant:eq:x")).AssertError(400, "BAD_REQUEST");
        var one = await kit.GetAsync(a);
        Assert.Equal((kit.Card, kit.Account), (one["cardId"]!.GetValue<string>(), one["cardBalanceAccountId"]!.GetValue<string>()));
        Assert.Equal("Coffee Shop", one["merchant"]!["name"]!.GetValue<string>());
        Assert.NotNull(one["cardLastFour"]);
        (await admin.GetAsync("/v1/card-transactions/not-a-uuid")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Patch_header_and_line_validate_with_paths_and_change_nothing_on_error()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var other = await CardTransactionKit.CreateAsync(server);
        var id = await kit.CapturedAsync(1_100);
        var line = await kit.LineIdAsync(id);
        var path = $"/v1/card-transactions/{id}/lines/{line}";

        var header = (await kit.PatchAsync($"/v1/card-transactions/{id}", new { description = "Client dinner" })).AssertOk();
        Assert.Equal("Client dinner", header["description"]!.GetValue<string>());

        var foreignAccount = await other.AccountIdAsync(6300);
        var error = (await kit.PatchAsync(path, new { accountId = foreignAccount, taxCodeId = await other.TaxCodeAsync("STANDARD") })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(new[] { "accountId", "taxCodeId" }, error["errors"]!.AsArray().Select(e => string.Join('.', e!["path"]!.AsArray())).ToList());
        Assert.Equal("amount", Path((await kit.PatchAsync(path, new { amount = 900, accountId = await kit.AccountIdAsync(6300) })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal("amount", Path((await kit.PatchAsync(path, new { amount = (long?)null })).AssertError(400, "BAD_REQUEST")));
        var unchanged = (await kit.GetAsync(id))["lines"]![0]!;
        Assert.Null(unchanged["accountId"]);
        Assert.Equal(1_100, unchanged["netAmount"]!.GetValue<long>());

        var edited = (await kit.PatchAsync(path, new { accountId = await kit.AccountIdAsync(6300), taxCodeId = await kit.TaxCodeAsync("REDUCED"), description = "Dinner" }))
            .AssertOk();
        Assert.Equal((1_100L, 1_000L, 100L), (edited["amount"]!.GetValue<long>(), edited["netAmount"]!.GetValue<long>(), edited["taxAmount"]!.GetValue<long>()));
        var cleared = (await kit.PatchAsync(path, new { taxCodeId = (string?)null })).AssertOk();
        Assert.Equal((1_100L, 0L), (cleared["netAmount"]!.GetValue<long>(), cleared["taxAmount"]!.GetValue<long>()));
        Assert.Equal("Dinner", cleared["description"]!.GetValue<string>());
        (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{Guid.NewGuid()}", new { description = "x" })).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Batch_update_applies_all_or_nothing_and_at_most_500()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var a = await kit.CapturedAsync(100);
        var b = await kit.CapturedAsync(200);
        var lineB = await kit.LineIdAsync(b);
        var expense = await kit.AccountIdAsync(6400);
        const string batch = "/v1/card-transactions/batch-update";

        var bad = (await kit.PatchAsync(batch, new object[]
        {
            new { cardTransactionId = a, description = "first" },
            new { cardTransactionId = b, lines = new[] { new { lineId = lineB, accountId = Guid.NewGuid().ToString() } } },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("1.lines.0.accountId", Path(bad));
        Assert.Null((await kit.GetAsync(a))["description"] is { } d && d.GetValue<string>() == "first" ? d : null);

        (await kit.PostAsync(b)).AssertOk();
        (await kit.PatchAsync(batch, new object[] { new { cardTransactionId = a, description = "first" }, new { cardTransactionId = b, description = "x" } }))
            .AssertError(409, "CONFLICT");
        Assert.NotEqual("first", (await kit.GetAsync(a))["description"]?.GetValue<string>());
        (await kit.ResetAsync(b)).AssertOk();

        var done = (await kit.PatchAsync(batch, new object[]
        {
            new { cardTransactionId = a, description = "first", postingDate = "2026-03-01" },
            new { cardTransactionId = b, lines = new[] { new { lineId = lineB, accountId = expense, description = "paper" } } },
        })).AssertOk();
        Assert.Equal(2, done.AsArray().Count);
        Assert.Equal("first", (await kit.GetAsync(a))["description"]!.GetValue<string>());
        Assert.Equal(expense, (await kit.GetAsync(b))["lines"]![0]!["accountId"]!.GetValue<string>());

        var tooMany = Enumerable.Range(0, 501).Select(_ => new { cardTransactionId = Guid.NewGuid() }).ToArray();
        (await kit.PatchAsync(batch, tooMany)).AssertError(400, "BAD_REQUEST");
        var foreign = (await kit.PatchAsync(batch, new[] { new { cardTransactionId = Guid.NewGuid().ToString() } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal("0.cardTransactionId", Path(foreign));
        var malformed = (await kit.PatchAsync(batch, new object[] { new { cardTransactionId = a }, new { cardTransactionId = "not-a-uuid" } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal("1.cardTransactionId", Path(malformed));
        (await kit.PatchAsync(batch, new { cardTransactionId = a })).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Custom_properties_of_card_transactions_are_set_on_the_header_and_lines_and_missing_data_is_listed()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var admin = kit.Tenant.Admin;
        var group = (await admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = "trip", label = "Trip", inputType = "SINGLE_SELECT", objectTypes = new[] { "CARD_TRANSACTION" }, context = "c",
        })).AssertOk().Id();
        var value = (await admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "berlin", label = "Berlin" })).AssertOk().Id();
        var vendorsOnly = (await admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = "region", label = "Region", inputType = "TEXT", objectTypes = new[] { "VENDOR" }, context = "c",
        })).AssertOk().Id();
        var id = await kit.CapturedAsync(250);
        var line = await kit.LineIdAsync(id);

        var set = new[] { new { groupId = group, valueIds = new[] { value } } };
        var header = (await kit.PatchAsync($"/v1/card-transactions/{id}", new { customProperties = set })).AssertOk();
        Assert.Equal(value, header["customProperties"]![0]!["values"]![0]!.Id());
        var lineModel = (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{line}", new { customProperties = set })).AssertOk();
        Assert.Equal("berlin", lineModel["customProperties"]![0]!["values"]![0]!["internalName"]!.GetValue<string>());
        Assert.Equal(value, (await kit.GetAsync(id))["lines"]![0]!["customProperties"]![0]!["values"]![0]!.Id());
        var wrong = (await kit.PatchAsync($"/v1/card-transactions/{id}",
            new { customProperties = new[] { new { groupId = vendorsOnly, inlineValues = new[] { "north" } } } })).AssertError(400, "BAD_REQUEST");
        Assert.StartsWith("customProperties.0", Path(wrong));

        Assert.Contains(id, Ids((await admin.GetAsync("/v1/card-transactions?missingData=true")).AssertOk()));
        (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{line}", new { accountId = await kit.AccountIdAsync(6300) })).AssertOk();
        // The receipt counts once its file is uploaded through the signed URL (a URL alone is not a receipt).
        await kit.AttachReceiptAsync(id, "%PDF-1.4 receipt"u8.ToArray());
        Assert.DoesNotContain(id, Ids((await admin.GetAsync("/v1/card-transactions?missingData=true")).AssertOk()));
        (await kit.Tenant.Viewer.PostAsync($"/v1/card-transactions/{id}/post")).AssertError(403, "FORBIDDEN");
        Assert.Equal("CAPTURED", (await kit.Tenant.Viewer.GetAsync($"/v1/card-transactions/{id}")).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Receipt_uploads_through_the_signed_url_downloads_and_is_removed()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var id = await kit.CapturedAsync(400);
        var admin = kit.Tenant.Admin;
        (await admin.GetAsync($"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");
        (await admin.PostAsync($"/v1/card-transactions/{id}/receipt-upload-url", new { contentType = "application/x-msdownload" }))
            .AssertError(400, "BAD_REQUEST");

        var grant = await kit.AttachReceiptAsync(id, "%PDF-1.4 receipt"u8.ToArray());
        Assert.Equal(grant["key"]!.GetValue<string>(), (await kit.GetAsync(id))["receiptDocumentKey"]!.GetValue<string>());

        var redirect = await admin.GetAsync($"/v1/card-transactions/{id}/receipt");
        Assert.Equal(302, redirect.Code);
        var file = await server.Anonymous.GetAsync(redirect.Headers.Location!.ToString());
        Assert.Equal("%PDF-1.4 receipt", file.Body);

        (await admin.SendAsync(HttpMethod.Delete, $"/v1/card-transactions/{id}/receipt")).AssertOk();
        Assert.Null((await kit.GetAsync(id))["receiptDocumentKey"]);
        (await admin.GetAsync($"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task An_upload_url_is_not_a_receipt_until_its_file_arrives()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var id = await kit.CapturedAsync(300);
        (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{await kit.LineIdAsync(id)}", new { accountId = await kit.AccountIdAsync(6300) })).AssertOk();
        var admin = kit.Tenant.Admin;
        async Task<bool> Missing() => Ids((await admin.GetAsync("/v1/card-transactions?missingData=true")).AssertOk()).Contains(id);
        async Task<string> Downloaded()
        {
            var redirect = await admin.GetAsync($"/v1/card-transactions/{id}/receipt");
            Assert.Equal(302, redirect.Code);
            return (await server.Anonymous.GetAsync(redirect.Headers.Location!.ToString())).Body;
        }
        Task<ApiResponse> UrlAsync() => admin.PostAsync($"/v1/card-transactions/{id}/receipt-upload-url", new { contentType = "application/pdf" });

        // A URL handed out but never used: still missing its receipt, none to download.
        (await UrlAsync()).AssertOk();
        Assert.True(await Missing());
        Assert.Null((await kit.GetAsync(id))["receiptDocumentKey"]);
        (await admin.GetAsync($"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");

        var first = await kit.AttachReceiptAsync(id, "%PDF-1.4 first"u8.ToArray());
        Assert.False(await Missing());
        Assert.Equal("%PDF-1.4 first", await Downloaded());

        // A newer URL does not replace the attached receipt until its own file arrives.
        var second = (await UrlAsync()).AssertOk();
        Assert.False(await Missing());
        Assert.Equal(first["key"]!.GetValue<string>(), (await kit.GetAsync(id))["receiptDocumentKey"]!.GetValue<string>());
        Assert.Equal("%PDF-1.4 first", await Downloaded());
        var put = await Documents.AttachmentTests.PutFileAsync(second["uploadUrl"]!.GetValue<string>(), "%PDF-1.4 second"u8.ToArray(), "application/pdf");
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(second["key"]!.GetValue<string>(), (await kit.GetAsync(id))["receiptDocumentKey"]!.GetValue<string>());
        Assert.Equal("%PDF-1.4 second", await Downloaded());

        // An uploaded receipt stays when yet another URL is handed out and not used.
        var third = (await UrlAsync()).AssertOk();
        Assert.Equal(second["key"]!.GetValue<string>(), (await kit.GetAsync(id))["receiptDocumentKey"]!.GetValue<string>());
        Assert.Equal("%PDF-1.4 second", await Downloaded());

        // DELETE detaches the receipt and drops the unused URL: missing again, and an upload to it afterwards changes nothing.
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/card-transactions/{id}/receipt")).AssertOk();
        Assert.True(await Missing());
        (await admin.GetAsync($"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");
        put = await Documents.AttachmentTests.PutFileAsync(third["uploadUrl"]!.GetValue<string>(), "%PDF-1.4 third"u8.ToArray(), "application/pdf");
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        Assert.True(await Missing());
        Assert.Null((await kit.GetAsync(id))["receiptDocumentKey"]);
    }
}
