using System.Text.Json.Nodes;
using Ledgerlight.Platform.OpenApi;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ledgerlight.Tests.Conformance;

/// <summary>
/// Holds the document the server publishes (GET /openapi.json) to what the server does: every
/// published operation is routed, and every Ledgerlight extension publishes its request body,
/// parameters, a real response schema and its error answers, and answers with bodies that schema accepts.
/// </summary>
public class PublishedContractTests(ApiServer server) : IClassFixture<ApiServer>
{
    static readonly string[] Methods = ["get", "post", "put", "patch", "delete", "options", "head", "trace"];

    /// <summary>Extension actions that take no body: everything else that writes (POST/PUT/PATCH) must publish one.</summary>
    static readonly HashSet<string> BodilessWrites = ["postJournalEntry"];

    async Task<JsonObject> PublishedAsync() => (await server.Anonymous.GetAsync("/openapi.json")).Json.AsObject();

    static IEnumerable<(string Method, string Path, JsonObject Op)> Operations(JsonObject spec) =>
        spec["paths"]!.AsObject().SelectMany(p => Methods.Where(m => p.Value![m] is not null)
            .Select(m => (m.ToUpperInvariant(), p.Key, p.Value![m]!.AsObject())));

    /// <summary>Follows a "#/components/..." reference (also into a schema's properties).</summary>
    static JsonObject Resolve(JsonObject spec, JsonObject schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            JsonNode node = spec;
            foreach (var part in reference.TrimStart('#', '/').Split('/')) node = node[part] ?? throw new Xunit.Sdk.XunitException($"dangling $ref {reference}");
            schema = node.AsObject();
        }
        return schema;
    }

    /// <summary>A schema that says something: an object with properties, an array of such, or a typed scalar with an enum/format.</summary>
    static bool IsNonTrivial(JsonObject spec, JsonObject schema)
    {
        schema = Resolve(spec, schema);
        return schema["type"]?.GetValue<string>() switch
        {
            "object" => schema["properties"] is JsonObject { Count: > 0 },
            "array" => schema["items"] is JsonObject items && IsNonTrivial(spec, items),
            null => schema["allOf"] is not null || schema["oneOf"] is not null || schema["properties"] is JsonObject { Count: > 0 },
            _ => true,
        };
    }

    [Fact]
    public async Task Every_published_operation_is_routed()
    {
        var routes = PublishedSpec.Routes(server.Services.GetRequiredService<EndpointDataSource>());
        var unrouted = Operations(await PublishedAsync()).Where(o => !routes.Contains((o.Method, o.Path)))
            .Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.True(unrouted.Count == 0, "published but not routed: " + string.Join(", ", unrouted));
    }

    [Fact]
    public async Task Every_extension_operation_publishes_its_body_parameters_response_and_errors()
    {
        var spec = await PublishedAsync();
        var extensions = Operations(spec).Where(o => o.Op["x-ledgerlight-extension"] is not null).ToList();
        Assert.Equal(23, extensions.Count);
        var problems = new List<string>();
        foreach (var (method, path, op) in extensions)
        {
            var id = op["operationId"]?.GetValue<string>() ?? $"{method} {path}";
            var parameters = op["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(path, @"\{([^}]+)\}").Select(m => m.Groups[1].Value))
                if (!parameters.Any(p => p["in"]!.GetValue<string>() == "path" && p["name"]!.GetValue<string>() == name && p["schema"] is not null))
                    problems.Add($"{id}: path parameter {name} not published");
            foreach (var p in parameters.Where(p => p["schema"] is null)) problems.Add($"{id}: parameter {p["name"]} has no schema");

            var body = op["requestBody"]?["content"]?[global::Ledgerlight.Platform.Json.ContentType]?["schema"]?.AsObject();
            if (method is "POST" or "PUT" or "PATCH" && !BodilessWrites.Contains(id))
            {
                if (body is null) problems.Add($"{id}: no request body schema");
                else if (!IsNonTrivial(spec, body)) problems.Add($"{id}: request body schema is a bare object");
            }

            var ok = op["responses"]?["200"]?["content"]?[global::Ledgerlight.Platform.Json.ContentType]?["schema"]?.AsObject();
            if (ok is null || !IsNonTrivial(spec, ok)) problems.Add($"{id}: 200 response has no real schema");
            var errors = path.Contains('{') ? new[] { "400", "401", "403", "404", "429" } : ["400", "401", "403", "429"];
            foreach (var status in errors)
                if (op["responses"]?[status]?["content"]?[global::Ledgerlight.Platform.Json.ContentType]?["schema"] is not JsonObject error || !IsNonTrivial(spec, error))
                    problems.Add($"{id}: no {status} error response");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_published_description_states_that_unknown_query_parameters_are_ignored()
    {
        var description = (await PublishedAsync())["info"]!["description"]!.GetValue<string>();
        Assert.Contains("Unknown query parameters are ignored", description);
        // ... and they are: a misspelt parameter changes nothing.
        var plain = (await server.Admin.GetAsync("/v1/vendors?limit=1")).AssertOk();
        var misspelt = (await server.Admin.GetAsync("/v1/vendors?limit=1&limt=5&nonsense=%20")).AssertOk();
        Assert.Equal(plain.ToJsonString(), misspelt.ToJsonString());
    }

    async Task<string> AccountId(int code) =>
        (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();

    async Task<string> DraftEntryId() =>
        (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-02-02", shouldPost = false, lines = new object[]
            {
                new { ledgerAccountId = await AccountId(6100), netTransactionAmount = new { amount = 1000, dcSign = "D" } },
                new { ledgerAccountId = await AccountId(1200), netTransactionAmount = new { amount = 1000, dcSign = "C" } },
            },
        })).AssertOk()["id"]!.GetValue<string>();

    async Task<string> PostedEntryId()
    {
        var id = await DraftEntryId();
        (await server.Admin.PostAsync($"/v1/journal-entries/{id}/post")).AssertOk();
        return id;
    }

    static string Unique() => Guid.NewGuid().ToString("N")[..8];

    Dictionary<string, Func<Task<(string Path, ApiResponse Response)>>> Samples()
    {
        async Task<(string, ApiResponse)> Get(string path) => (path, await server.Admin.GetAsync(path));
        async Task<(string, ApiResponse)> Send(HttpMethod method, string path, object? body) => (path, await server.Admin.SendAsync(method, path, body));
        var entity = server.Company.EntityId;
        async Task<(OAuth.RegisteredClient Client, OAuth.OAuthUser User)> Granted()
        {
            var client = await OAuth.OAuthKit.CreateClientAsync(server.Company);
            var user = await OAuth.OAuthKit.CreateUserAsync(server, server.Company);
            Assert.Equal(200, (await OAuth.OAuthKit.ExchangeAsync(server.BaseAddress, client, await OAuth.OAuthKit.CodeAsync(server.BaseAddress, client, user))).Code);
            return (client, user);
        }
        return new()
        {
            ["listOAuthClients"] = async () =>
            {
                await OAuth.OAuthKit.CreateClientAsync(server.Company);
                return await Get("/v1/oauth-clients");
            },
            ["createOAuthClient"] = () => Send(HttpMethod.Post, "/v1/oauth-clients", new { name = "Schema App", redirectUris = new[] { "https://app.example/cb" } }),
            ["revokeOAuthClient"] = async () =>
                await Send(HttpMethod.Delete, $"/v1/oauth-clients/{(await OAuth.OAuthKit.CreateClientAsync(server.Company)).ClientId}", null),
            ["listUserOAuthGrants"] = async () => await Get($"/v1/users/{(await Granted()).User.Id}/oauth-grants"),
            ["revokeOAuthGrant"] = async () =>
            {
                var (_, user) = await Granted();
                var grant = (await server.Admin.GetAsync($"/v1/users/{user.Id}/oauth-grants")).AssertOk()[0]!["id"]!.GetValue<string>();
                return await Send(HttpMethod.Delete, $"/v1/oauth-grants/{grant}", null);
            },
            ["listTaxCodes"] = async () =>
            {
                (await server.Admin.PostAsync("/v1/tax-codes", new { code = "L" + Unique(), label = "Listed", ratePercent = 19 })).AssertOk();
                return await Get("/v1/tax-codes");
            },
            ["createTaxCode"] = () => Send(HttpMethod.Post, "/v1/tax-codes", new { code = "C" + Unique(), label = "Reduced", ratePercent = 7.7m }),
            ["createLedgerAccount"] = () => Send(HttpMethod.Post, "/v1/ledger-accounts",
                new { code = Random.Shared.Next(700_000, 799_999), label = "Schema account", type = "OTHER_CURRENT_ASSET" }),
            ["updateLedgerAccount"] = async () =>
            {
                var id = (await server.Admin.PostAsync("/v1/ledger-accounts",
                    new { code = Random.Shared.Next(800_000, 899_999), label = "To rename", type = "OTHER_CURRENT_ASSET" })).AssertOk()["id"]!.GetValue<string>();
                return await Send(HttpMethod.Patch, $"/v1/ledger-accounts/{id}", new { label = "Renamed", status = "DISABLED" });
            },
            ["getJournalEntry"] = async () => await Get($"/v1/journal-entries/{await PostedEntryId()}"),
            ["postJournalEntry"] = async () => await Send(HttpMethod.Post, $"/v1/journal-entries/{await DraftEntryId()}/post", null),
            ["getTrialBalance"] = async () =>
            {
                await PostedEntryId();
                return await Get($"/v1/reports/trial-balance?companyEntityId={entity}&asOf=2026-12-31&ledgerName=PRIMARY");
            },
            ["getBalanceSheet"] = async () =>
            {
                await PostedEntryId();
                return await Get($"/v1/reports/balance-sheet?companyEntityId={entity}&asOf=2026-12-31");
            },
            ["getProfitAndLoss"] = async () =>
            {
                await PostedEntryId();
                return await Get($"/v1/reports/profit-and-loss?companyEntityId={entity}&from=2026-01-01&to=2026-12-31");
            },
            ["getPeriodLock"] = () => Get($"/v1/ledger/period-locks/{entity}"),
            ["setPeriodLock"] = async () =>
            {
                var locked = await Send(HttpMethod.Put, $"/v1/ledger/period-locks/{entity}", new { lockedThrough = "2000-01-31" });
                (await server.Admin.PutAsync($"/v1/ledger/period-locks/{entity}", new { lockedThrough = (string?)null })).AssertOk();
                return locked;
            },
            ["getInvoiceApprovalRule"] = () => Get("/v1/invoice-approval/rules"),
            ["setInvoiceApprovalRule"] = async () =>
            {
                var set = await Send(HttpMethod.Put, "/v1/invoice-approval/rules", new { amountThreshold = 1_000_000_000_000L });
                (await server.Admin.PutAsync("/v1/invoice-approval/rules", new { amountThreshold = (long?)null })).AssertOk();
                return set;
            },
            ["setVendorApprovers"] = async () =>
            {
                var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "Approved Vendor " + Unique() })).AssertOk()["vendorId"]!.GetValue<string>();
                return await Send(HttpMethod.Put, $"/v1/vendors/{vendor}/approvers", new { approvers = Array.Empty<object>() });
            },
            ["runContractBilling"] = () => Send(HttpMethod.Post, "/v1/contracts/billing-runs", new { date = "2026-01-01" }),
            ["createCustomPropertyGroup"] = () => Send(HttpMethod.Post, "/v1/custom-properties/groups",
                new { internalName = "schema_" + Unique(), label = "Schema group", inputType = "SINGLE_SELECT", objectTypes = new[] { "BILL" } }),
            ["fundCardBalanceAccount"] = async () =>
            {
                var account = await Spend.SpendKit.PrimaryAccountAsync(server.Company);
                var bank = (await Banking.BankingHelpers.CreateAccountAsync(server.Company))["id"]!.GetValue<string>();
                return await Send(HttpMethod.Post, $"/v1/card-balance-accounts/{account}/fundings", new { bankAccountId = bank, amount = 5_000, description = "top-up" });
            },
            ["receiveCardNetworkMessage"] = async () =>
            {
                var card = (await Spend.SpendKit.CardAsync(server.Company, await Spend.SpendKit.PrimaryAccountAsync(server.Company)))["id"]!.GetValue<string>();
                return (Ledgerlight.Spend.CardNetworkApi.Route, await Spend.SpendKit.NetworkAsync(server, server.Company, new
                {
                    type = "AUTHORIZATION", reference = "schema-" + Unique(), cardId = card, amount = 100, currency = "USD",
                    merchant = new { name = "Schema Shop", country = "DE", mcc = "5411" }, purchaseType = "ECOMMERCE",
                }));
            },
        };
    }

    [Fact]
    public async Task Every_extension_operation_answers_with_a_body_its_published_schema_accepts()
    {
        var document = (await server.Anonymous.GetAsync("/openapi.json")).Body;
        var specPath = Path.Combine(Path.GetTempPath(), $"ledgerlight-published-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(specPath, document);
        var extensions = Operations(JsonNode.Parse(document)!.AsObject()).Where(o => o.Op["x-ledgerlight-extension"] is not null).ToList();
        var samples = Samples();
        var missing = extensions.Select(o => o.Op["operationId"]!.GetValue<string>()).Where(id => !samples.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, "extension operations without a sample: " + string.Join(", ", missing));

        foreach (var (method, _, op) in extensions)
        {
            var id = op["operationId"]!.GetValue<string>();
            var (path, response) = await samples[id]();
            Assert.True(response.Code == 200, $"{id}: {response.Code} {response.Body}");
            var check = await SchemaValidator.ValidateAgainstAsync(specPath, method, path.Split('?')[0], response.Json);
            Assert.True(check.Ok && check.OperationId == id, $"{id} (validated as {check.OperationId}): {string.Join("; ", check.Errors)}\n{response.Body}");
        }
    }
}
