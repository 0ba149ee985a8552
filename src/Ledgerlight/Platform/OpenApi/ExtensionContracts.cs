using System.Text.Json.Nodes;

namespace Ledgerlight.Platform.OpenApi;

/// <summary>
/// The published contract of each Ledgerlight extension operation (by operationId): its request body,
/// query parameters, response and error statuses. Path parameters come from the route itself. The
/// shapes here are the wire shapes of the handlers' records (camelCase, nulls left out); the
/// conformance tests call every extension and validate its answer against this document.
/// </summary>
public static class ExtensionContracts
{
    /// <param name="Request">schema name of the JSON body, or null for none</param>
    /// <param name="Response">schema of the 200 body (a $ref or an inline schema)</param>
    /// <param name="Errors">statuses besides 400/401/403/429, which every operation may answer</param>
    public sealed record Contract(string? Request, JsonObject Response, int[] Errors, params JsonObject[] Query);

    static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };
    static JsonObject ArrayOf(string name) => new() { ["type"] = "array", ["items"] = Ref(name) };

    static JsonObject QueryParam(string name, string description, JsonObject schema) =>
        new() { ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description, ["schema"] = schema };

    static JsonObject Date => new() { ["type"] = "string", ["format"] = "date" };

    static JsonObject EntityParam => QueryParam("companyEntityId", "The legal entity (default: the company's first entity).",
        new JsonObject { ["type"] = "string", ["format"] = "uuid" });

    public static readonly IReadOnlyDictionary<string, Contract> ByOperationId = new Dictionary<string, Contract>
    {
        ["listTaxCodes"] = new(null, ArrayOf("LedgerlightTaxCode"), []),
        ["createTaxCode"] = new("LedgerlightCreateTaxCodeRequest", Ref("LedgerlightTaxCode"), [409]),
        ["createLedgerAccount"] = new("LedgerlightCreateLedgerAccountRequest", Ref("ExternalLedgerAccountV1Model"), [409]),
        ["updateLedgerAccount"] = new("LedgerlightUpdateLedgerAccountRequest", Ref("ExternalLedgerAccountV1Model"), [404]),
        ["getJournalEntry"] = new(null, Ref("ExternalJournalEntryV1Model"), [404]),
        ["postJournalEntry"] = new(null, Ref("ExternalJournalEntryV1Model"), [404, 409, 422]),
        ["getTrialBalance"] = new(null, Ref("LedgerlightTrialBalance"), [404],
            EntityParam, QueryParam("asOf", "Balances as of the end of this day (default: today, UTC).", Date),
            QueryParam("ledgerName", "Which ledger (default PRIMARY).", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("PRIMARY", "ELIMINATION") })),
        ["getBalanceSheet"] = new(null, Ref("LedgerlightBalanceSheet"), [404],
            EntityParam, QueryParam("asOf", "Balances as of the end of this day (default: today, UTC).", Date)),
        ["getProfitAndLoss"] = new(null, Ref("LedgerlightProfitAndLoss"), [404],
            EntityParam, QueryParam("from", "First day of the period (default: 1 January of `to`'s year).", Date),
            QueryParam("to", "Last day of the period (default: today, UTC).", Date)),
        ["getPeriodLock"] = new(null, Ref("LedgerlightPeriodLock"), [404]),
        ["setPeriodLock"] = new("LedgerlightPeriodLockRequest", Ref("LedgerlightPeriodLock"), [404]),
        ["getInvoiceApprovalRule"] = new(null, Ref("LedgerlightApprovalRule"), []),
        ["setInvoiceApprovalRule"] = new("LedgerlightApprovalRuleRequest", Ref("LedgerlightApprovalRule"), []),
        ["setVendorApprovers"] = new("LedgerlightVendorApproversRequest", Ref("ExternalVendorV1Model"), [404]),
        ["runContractBilling"] = new("LedgerlightBillingRunRequest", Ref("LedgerlightBillingRunResult"), []),
        ["createCustomPropertyGroup"] = new("LedgerlightCreateCustomPropertyGroupRequest", Ref("ExternalCustomPropertyGroupV1Model"), [409]),
        ["fundCardBalanceAccount"] = new("LedgerlightFundCardBalanceAccountRequest", Ref("ExternalCardBalanceAccountV1Model"), [409, 422]),
        ["receiveCardNetworkMessage"] = new("LedgerlightCardNetworkMessage", Ref("ExternalCardTransactionV1Model"), [404, 409, 422]),
        ["listOAuthClients"] = new(null, ArrayOf("LedgerlightOAuthClient"), []),
        ["createOAuthClient"] = new("LedgerlightCreateOAuthClientRequest", Ref("LedgerlightCreatedOAuthClient"), []),
        ["revokeOAuthClient"] = new(null, Ref("LedgerlightOAuthClient"), [404]),
        ["listUserOAuthGrants"] = new(null, ArrayOf("LedgerlightOAuthGrant"), [404]),
        ["revokeOAuthGrant"] = new(null, Ref("LedgerlightOAuthGrant"), [404]),
    };

    /// <summary>The error body of every non-2xx answer (Light's envelope, with the request id).</summary>
    public const string ErrorSchema = "LedgerlightError";

    /// <summary>Schemas the extension operations use (extension-schemas.json, embedded), added to the published document's components.</summary>
    public static JsonObject Schemas() => PublishedSpec.LoadEmbedded("extension-schemas.json");
}
