using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledgerlight.Spend;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;

namespace Ledgerlight.Tests.Spend;

/// <summary>Shared set-up for the Spend tests: a tenant's primary balance account funded, owners, cards, signed network messages.</summary>
public static class SpendKit
{
    public static async Task<string> PrimaryAccountAsync(Tenant tenant) =>
        (await tenant.Admin.GetAsync($"/v1/card-balance-accounts?filter=companyEntityId:eq:{tenant.EntityId}")).AssertOk()["records"]!
        .AsArray().Single(r => r!["primary"]!.GetValue<bool>())!.Id();

    /// <summary>Funds the account from a new bank account of the tenant's entity.</summary>
    public static async Task<JsonNode> FundAsync(Tenant tenant, string accountId, long amount, string currency = "USD", string? date = null)
    {
        var bank = (await BankingHelpers.CreateAccountAsync(tenant, currency)).Id();
        return (await tenant.Admin.PostAsync($"/v1/card-balance-accounts/{accountId}/fundings", new { bankAccountId = bank, amount, date })).AssertOk();
    }

    public static async Task<string> OwnerAsync(Tenant tenant, string firstName = "Cara") =>
        (await tenant.Admin.PostAsync("/v1/users", new { email = $"{Guid.NewGuid():N}@example.com", firstName, lastName = "Holder" }))
        .AssertOk().Id();

    public static async Task<JsonNode> CardAsync(Tenant tenant, string accountId, string? ownerId = null, object[]? limits = null) =>
        (await tenant.Admin.PostAsync("/v1/cards", new
        {
            balanceAccountId = accountId, ownerId = ownerId ?? await OwnerAsync(tenant), metadata = new { type = "EMPLOYEE" },
            description = "Team card", limits,
        })).AssertOk();

    /// <summary>Gives the tenant a network secret (once per tenant, even under parallel calls) and returns it.</summary>
    public static Task<byte[]> SecretAsync(ApiServer server, Tenant tenant) =>
        Secrets.GetOrAdd(tenant.CompanyId, id => new Lazy<Task<byte[]>>(() => CardNetworkApi.RotateSecretAsync(server.Db, id, DateTime.UtcNow))).Value;

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Lazy<Task<byte[]>>> Secrets = new();

    /// <summary>Posts a network message signed as the network does (or with what the test overrides).</summary>
    public static async Task<ApiResponse> NetworkAsync(ApiServer server, Tenant tenant, object message, long? timestamp = null,
        string? signature = null)
    {
        var body = JsonSerializer.Serialize(message, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var secret = await SecretAsync(server, tenant);
        return await server.Anonymous.SendAsync(HttpMethod.Post, CardNetworkApi.Route, body, new Dictionary<string, string>
        {
            [NetworkSignature.CompanyHeader] = tenant.CompanyId.ToString(),
            [NetworkSignature.TimestampHeader] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [NetworkSignature.SignatureHeader] = signature ?? NetworkSignature.Sign(secret, ts, Encoding.UTF8.GetBytes(body)),
        });
    }

    public static async Task<JsonNode> AuthorizeAsync(ApiServer server, Tenant tenant, string cardId, long amount, string currency = "USD",
        string? performedAt = null) =>
        (await NetworkAsync(server, tenant, new
        {
            type = "AUTHORIZATION", reference = $"auth-{Guid.NewGuid():N}", cardId, amount, currency, performedAt,
            merchant = new { name = "Coffee Shop", country = "US", mcc = "5814" }, purchaseType = "POS",
        })).AssertOk();

    public static async Task<JsonNode> SettleAsync(ApiServer server, Tenant tenant, string type, string transactionId, long? amount = null,
        string? performedAt = null) =>
        (await NetworkAsync(server, tenant, new { type, reference = $"{type}-{Guid.NewGuid():N}", transactionId, amount, performedAt })).AssertOk();

    public static async Task<JsonNode> BalanceAsync(Tenant tenant, string accountId) =>
        (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{accountId}")).AssertOk()["balance"]!;
}
