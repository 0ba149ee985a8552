using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Spend.CardTransactions;

/// <summary>post and reset against a real server: the ledger lines, the locks, the reversal, refunds and refusals.</summary>
public class CardTransactionPostingTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string Status(System.Text.Json.Nodes.JsonNode t) => t["status"]!.GetValue<string>();

    [Fact]
    public async Task Post_books_expense_and_input_tax_against_the_card_account_and_locks_the_transaction()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var id = await kit.CapturedAsync(12_000);
        var line = await kit.LineIdAsync(id);
        (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{line}",
            new { accountId = await kit.AccountIdAsync(6300), taxCodeId = await kit.TaxCodeAsync("STANDARD") })).AssertOk();

        var posted = (await kit.PostAsync(id)).AssertOk();
        Assert.Equal(("POSTED", "ALL_EDITS_LOCKED"), (Status(posted), posted["editStatus"]!.GetValue<string>()));
        Assert.Equal((10_000L, 2_000L), (posted["lines"]![0]!["netAmount"]!.GetValue<long>(), posted["lines"]![0]!["taxAmount"]!.GetValue<long>()));
        Assert.Equal(new[] { (1600, "D", 2_000L), (6300, "D", 10_000L), (1300, "C", 12_000L) }, await kit.LedgerLinesAsync(id));
        Assert.Equal(0, await kit.TrialBalanceSumAsync());

        (await kit.PatchAsync($"/v1/card-transactions/{id}", new { description = "late edit" })).AssertError(409, "CONFLICT");
        (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{line}", new { accountId = await kit.AccountIdAsync(6400) })).AssertError(409, "CONFLICT");
        (await kit.PostAsync(id)).AssertError(409, "CONFLICT");
        Assert.Equal("Travel and entertainment", (await kit.GetAsync(id))["lines"]![0]!["accountLabel"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_reverses_the_posting_makes_the_transaction_editable_and_it_posts_again()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var id = await kit.CapturedAsync(5_000);
        (await kit.PostAsync(id)).AssertOk();
        var cardBefore = await kit.BalanceOfAsync(1300);

        var reset = (await kit.ResetAsync(id)).AssertOk();
        Assert.Equal(("CAPTURED", "ALL_EDITS_ALLOWED"), (Status(reset), reset["editStatus"]!.GetValue<string>()));
        Assert.Equal(cardBefore + 5_000, await kit.BalanceOfAsync(1300));
        Assert.Equal(4, (await kit.LedgerLinesAsync(id)).Count);
        (await kit.ResetAsync(id)).AssertError(409, "CONFLICT");

        var line = await kit.LineIdAsync(id);
        (await kit.PatchAsync($"/v1/card-transactions/{id}/lines/{line}", new { accountId = await kit.AccountIdAsync(6400) })).AssertOk();
        Assert.Equal("POSTED", Status((await kit.PostAsync(id)).AssertOk()));
        Assert.Contains((6400, "D", 5_000L), await kit.LedgerLinesAsync(id));
        Assert.Equal(cardBefore, await kit.BalanceOfAsync(1300));
        Assert.Equal(0, await kit.TrialBalanceSumAsync());
    }

    [Fact]
    public async Task A_refund_posts_the_mirror_of_its_payment()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var payment = await kit.CapturedAsync(3_000);
        (await kit.PostAsync(payment)).AssertOk();
        var refund = await kit.RefundAsync(payment, 1_000);

        Assert.Equal("POSTED", Status((await kit.PostAsync(refund)).AssertOk()));
        Assert.Equal(new[] { (1300, "D", 1_000L), (6200, "C", 1_000L) }, await kit.LedgerLinesAsync(refund));
        Assert.Equal("REFUNDED", Status((await kit.ResetAsync(refund)).AssertOk()));
        Assert.Equal(0, await kit.TrialBalanceSumAsync());
    }

    [Fact]
    public async Task Declined_voided_and_open_authorizations_cannot_be_posted()
    {
        var kit = await CardTransactionKit.CreateAsync(server, funds: 1_000);
        var declined = await kit.AuthorizedAsync(5_000);
        Assert.Equal("DECLINED", Status(await kit.GetAsync(declined)));
        var refusal = (await kit.PostAsync(declined)).AssertError(409, "CONFLICT");
        Assert.Contains("DECLINED", refusal["message"]!.GetValue<string>());
        Assert.Contains("CAPTURED or REFUNDED", refusal["message"]!.GetValue<string>());

        var open = await kit.AuthorizedAsync(100);
        (await kit.PostAsync(open)).AssertError(409, "CONFLICT");
        await SpendKit.SettleAsync(server, kit.Tenant, "VOID", open);
        (await kit.PostAsync(open)).AssertError(409, "CONFLICT");
        Assert.Empty(await kit.LedgerLinesAsync(declined));
    }

    [Fact]
    public async Task Another_companys_transaction_is_not_found()
    {
        var kit = await CardTransactionKit.CreateAsync(server);
        var other = await CardTransactionKit.CreateAsync(server);
        var id = await kit.CapturedAsync(700);
        var line = await kit.LineIdAsync(id);
        var admin = other.Tenant.Admin;
        (await admin.GetAsync($"/v1/card-transactions/{id}")).AssertError(404, "NOT_FOUND");
        (await admin.PostAsync($"/v1/card-transactions/{id}/post")).AssertError(404, "NOT_FOUND");
        (await admin.PostAsync($"/v1/card-transactions/{id}/reset")).AssertError(404, "NOT_FOUND");
        (await admin.SendAsync(HttpMethod.Patch, $"/v1/card-transactions/{id}", new { description = "x" })).AssertError(404, "NOT_FOUND");
        (await admin.SendAsync(HttpMethod.Patch, $"/v1/card-transactions/{id}/lines/{line}", new { description = "x" })).AssertError(404, "NOT_FOUND");
        (await admin.GetAsync($"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/card-transactions/{id}/receipt")).AssertError(404, "NOT_FOUND");
        (await admin.PostAsync($"/v1/card-transactions/{id}/receipt-upload-url", new { contentType = "application/pdf" })).AssertError(404, "NOT_FOUND");
        Assert.Empty((await admin.GetAsync($"/v1/card-transactions?filter=transactionId:eq:{id}")).AssertOk()["records"]!.AsArray());
        Assert.Null((await kit.GetAsync(id))["description"] is { } d && d.GetValue<string>() == "x" ? d : null);
    }
}
