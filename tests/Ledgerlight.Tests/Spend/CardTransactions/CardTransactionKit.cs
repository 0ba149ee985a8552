using System.Text.Json.Nodes;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;
using static Ledgerlight.Tests.Spend.SpendKit;

namespace Ledgerlight.Tests.Spend.CardTransactions;

/// <summary>A tenant with a funded card, and the calls the card transaction tests make.</summary>
public sealed class CardTransactionKit(ApiServer server, Tenant tenant, string account, string card)
{
    public Tenant Tenant => tenant;
    public string Account => account;
    public string Card => card;

    public static async Task<CardTransactionKit> CreateAsync(ApiServer server, long funds = 100_000)
    {
        var tenant = await server.CreateTenantAsync($"Card tx {Guid.NewGuid():N}", "USD");
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, funds, date: "2026-01-01");
        return new CardTransactionKit(server, tenant, account, (await CardAsync(tenant, account)).Id());
    }

    public async Task<string> AuthorizedAsync(long amount, string? performedAt = null) =>
        (await AuthorizeAsync(server, tenant, card, amount, performedAt: performedAt ?? "2026-02-10T10:00:00Z")).Id();

    public async Task<string> CapturedAsync(long amount, string? performedAt = null)
    {
        var id = await AuthorizedAsync(amount, performedAt);
        await SettleAsync(server, tenant, "CAPTURE", id);
        return id;
    }

    public async Task<string> RefundAsync(string paymentId, long amount, string? performedAt = null) =>
        (await SettleAsync(server, tenant, "REFUND", paymentId, amount, performedAt)).Id();

    /// <summary>Asks for the receipt's upload URL and uploads the file there; answers the grant (its key names the receipt).</summary>
    public async Task<JsonNode> AttachReceiptAsync(string id, byte[] receipt)
    {
        var grant = (await tenant.Admin.PostAsync($"/v1/card-transactions/{id}/receipt-upload-url", new { filename = "r.pdf", contentType = "application/pdf" }))
            .AssertOk();
        var put = await Documents.AttachmentTests.PutFileAsync(grant["uploadUrl"]!.GetValue<string>(), receipt, "application/pdf");
        Xunit.Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        return grant;
    }

    public async Task<JsonNode> GetAsync(string id) => (await tenant.Admin.GetAsync($"/v1/card-transactions/{id}")).AssertOk();

    public Task<ApiResponse> PatchAsync(string path, object body) => tenant.Admin.SendAsync(HttpMethod.Patch, path, body);

    public Task<ApiResponse> PostAsync(string id) => tenant.Admin.PostAsync($"/v1/card-transactions/{id}/post");

    public Task<ApiResponse> ResetAsync(string id) => tenant.Admin.PostAsync($"/v1/card-transactions/{id}/reset");

    public async Task<string> LineIdAsync(string id) => (await GetAsync(id))["lines"]![0]!.Id();

    public async Task<string> AccountIdAsync(int code) =>
        (await tenant.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk()["records"]![0]!.Id();

    public async Task<string> TaxCodeAsync(string code) =>
        (await tenant.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(t => t!["code"]!.GetValue<string>() == code)!.Id();

    /// <summary>(account code, D/C, amount) of every ledger line of the document, debits first.</summary>
    public async Task<List<(int Code, string Dc, long Amount)>> LedgerLinesAsync(string documentId) =>
        (await tenant.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{documentId}&limit=200")).AssertOk()["records"]!.AsArray()
        .Select(l => (l!["accountCode"]!.GetValue<int>(), l["amounts"]!["dcSign"]!.GetValue<string>(), l["amounts"]!["transactionAmount"]!.GetValue<long>()))
        .OrderByDescending(l => l.Item2).ThenBy(l => l.Item1).ThenBy(l => l.Item3).ToList();

    /// <summary>The sum of every account's debit-positive balance: zero when the books balance.</summary>
    public async Task<long> TrialBalanceSumAsync() =>
        (await tenant.Admin.GetAsync("/v1/reports/trial-balance?asOf=2026-12-31")).AssertOk()["accounts"]!.AsArray()
        .Sum(a => a!["balance"]!.GetValue<long>());

    public async Task<long> BalanceOfAsync(int code) =>
        (await tenant.Admin.GetAsync("/v1/reports/trial-balance?asOf=2026-12-31")).AssertOk()["accounts"]!.AsArray()
        .Where(a => a!["code"]!.GetValue<int>() == code).Sum(a => a!["balance"]!.GetValue<long>());
}
