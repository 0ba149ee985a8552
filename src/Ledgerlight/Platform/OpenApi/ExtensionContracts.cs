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

    /// <summary>Schemas the extension operations use, added to the published document's components.</summary>
    public static JsonObject Schemas() => JsonNode.Parse(SchemasJson)!.AsObject();

    const string SchemasJson = """
    {
      "LedgerlightError": {
        "type": "object", "required": ["name", "type", "message", "errors"],
        "description": "Light's error envelope, answered with every 4xx and 5xx.",
        "properties": {
          "name": { "type": "string", "description": "The HTTP status name, e.g. NotFound" },
          "type": { "type": "string", "description": "Error code: BAD_REQUEST, MISSING_PARAMETER, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNPROCESSABLE_CONTENT, TOO_MANY_REQUESTS, INTERNAL_SERVER_ERROR" },
          "message": { "type": "string" },
          "errors": { "type": "array", "items": {
            "type": "object", "required": ["type", "message"],
            "properties": {
              "type": { "type": "string" },
              "message": { "type": "string" },
              "clientMessage": { "type": "string" },
              "path": { "type": "array", "description": "Where in the request: field names and array indexes", "items": { "oneOf": [ { "type": "string" }, { "type": "integer" } ] } },
              "context": { "type": "object", "additionalProperties": true }
            } } },
          "requestId": { "type": "string", "description": "Also sent as the X-Request-Id header" }
        }
      },
      "LedgerlightTaxCode": {
        "type": "object", "required": ["id", "companyId", "code", "label", "ratePercent", "status", "createdAt", "updatedAt"],
        "properties": {
          "id": { "type": "string", "format": "uuid" },
          "companyId": { "type": "string", "format": "uuid" },
          "code": { "type": "string" },
          "label": { "type": "string" },
          "ratePercent": { "type": "number", "minimum": 0, "maximum": 100, "description": "Tax rate in percent, e.g. 19 or 7.7" },
          "inputAccountId": { "type": "string", "format": "uuid", "description": "Ledger account for input tax (purchases)" },
          "outputAccountId": { "type": "string", "format": "uuid", "description": "Ledger account for output tax (sales)" },
          "status": { "type": "string" },
          "createdAt": { "type": "string", "format": "date-time" },
          "updatedAt": { "type": "string", "format": "date-time" }
        }
      },
      "LedgerlightCreateTaxCodeRequest": {
        "type": "object", "required": ["code", "label", "ratePercent"],
        "properties": {
          "code": { "type": "string", "maxLength": 50, "description": "Unique per company" },
          "label": { "type": "string", "maxLength": 255 },
          "ratePercent": { "type": "number", "minimum": 0, "maximum": 100 },
          "inputAccountId": { "type": "string", "format": "uuid", "description": "Default: the Input VAT account" },
          "outputAccountId": { "type": "string", "format": "uuid", "description": "Default: the Output VAT account" }
        }
      },
      "LedgerlightCreateLedgerAccountRequest": {
        "type": "object", "required": ["code", "label", "type"],
        "properties": {
          "code": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 999999999, "description": "Unique per company" },
          "label": { "type": "string", "maxLength": 255 },
          "type": { "$ref": "#/components/schemas/ExternalLedgerAccountV1Model/properties/type", "description": "Any type but BANK (bank accounts create their own)" },
          "context": { "type": "string", "maxLength": 255 },
          "companyEntityIds": { "type": "array", "items": { "type": "string", "format": "uuid" }, "description": "Entities that may post to it (default: all)" },
          "revaluateFxBalance": { "type": "boolean" }
        }
      },
      "LedgerlightUpdateLedgerAccountRequest": {
        "type": "object",
        "properties": {
          "label": { "type": "string", "maxLength": 255 },
          "status": { "type": "string", "enum": ["ACTIVE", "DISABLED"], "description": "DISABLED refuses new postings" },
          "context": { "type": "string", "maxLength": 255, "nullable": true, "description": "null clears it" }
        }
      },
      "LedgerlightTrialBalanceLine": {
        "type": "object", "required": ["accountId", "code", "label", "type", "category", "debit", "credit", "balance"],
        "properties": {
          "accountId": { "type": "string", "format": "uuid" },
          "code": { "type": "integer", "format": "int32" },
          "label": { "type": "string" },
          "type": { "type": "string" },
          "category": { "type": "string" },
          "debit": { "type": "integer", "format": "int64", "description": "Minor units of the entity's currency" },
          "credit": { "type": "integer", "format": "int64" },
          "balance": { "type": "integer", "format": "int64", "description": "debit - credit" }
        }
      },
      "LedgerlightTrialBalance": {
        "type": "object", "required": ["companyEntityId", "ledgerName", "asOf", "currency", "accounts", "totalDebit", "totalCredit", "difference"],
        "properties": {
          "companyEntityId": { "type": "string", "format": "uuid" },
          "ledgerName": { "type": "string", "enum": ["PRIMARY", "ELIMINATION"] },
          "asOf": { "type": "string", "format": "date" },
          "currency": { "type": "string" },
          "accounts": { "type": "array", "items": { "$ref": "#/components/schemas/LedgerlightTrialBalanceLine" } },
          "totalDebit": { "type": "integer", "format": "int64" },
          "totalCredit": { "type": "integer", "format": "int64" },
          "difference": { "type": "integer", "format": "int64", "description": "Always 0" }
        }
      },
      "LedgerlightStatementSection": {
        "type": "object", "required": ["category", "accounts", "total"],
        "properties": {
          "category": { "type": "string" },
          "accounts": { "type": "array", "items": {
            "type": "object", "required": ["accountId", "code", "label", "type", "amount"],
            "properties": {
              "accountId": { "type": "string", "format": "uuid" },
              "code": { "type": "integer", "format": "int32" },
              "label": { "type": "string" },
              "type": { "type": "string" },
              "amount": { "type": "integer", "format": "int64", "description": "With the section's natural sign, minor units" }
            } } },
          "total": { "type": "integer", "format": "int64" }
        }
      },
      "LedgerlightBalanceSheet": {
        "type": "object", "required": ["companyEntityId", "asOf", "currency", "assets", "liabilities", "equity", "currentResult", "totalLiabilitiesAndEquity", "balanced"],
        "properties": {
          "companyEntityId": { "type": "string", "format": "uuid" },
          "asOf": { "type": "string", "format": "date" },
          "currency": { "type": "string" },
          "assets": { "$ref": "#/components/schemas/LedgerlightStatementSection" },
          "liabilities": { "$ref": "#/components/schemas/LedgerlightStatementSection" },
          "equity": { "$ref": "#/components/schemas/LedgerlightStatementSection" },
          "currentResult": { "type": "integer", "format": "int64" },
          "totalLiabilitiesAndEquity": { "type": "integer", "format": "int64" },
          "balanced": { "type": "boolean" }
        }
      },
      "LedgerlightProfitAndLoss": {
        "type": "object", "required": ["companyEntityId", "from", "to", "currency", "income", "expenses", "netResult"],
        "properties": {
          "companyEntityId": { "type": "string", "format": "uuid" },
          "from": { "type": "string", "format": "date" },
          "to": { "type": "string", "format": "date" },
          "currency": { "type": "string" },
          "income": { "$ref": "#/components/schemas/LedgerlightStatementSection" },
          "expenses": { "$ref": "#/components/schemas/LedgerlightStatementSection" },
          "netResult": { "type": "integer", "format": "int64" }
        }
      },
      "LedgerlightPeriodLock": {
        "type": "object", "required": ["companyEntityId"],
        "properties": {
          "companyEntityId": { "type": "string", "format": "uuid" },
          "lockedThrough": { "type": "string", "format": "date", "description": "Absent when the books are open" }
        }
      },
      "LedgerlightPeriodLockRequest": {
        "type": "object",
        "properties": { "lockedThrough": { "type": "string", "format": "date", "nullable": true, "description": "null (or absent) reopens the books" } }
      },
      "LedgerlightApprovalRule": {
        "type": "object", "required": ["companyId"],
        "properties": {
          "companyId": { "type": "string", "format": "uuid" },
          "amountThreshold": { "type": "integer", "format": "int64", "description": "Minor units; absent when there is no threshold" },
          "updatedAt": { "type": "string", "format": "date-time" }
        }
      },
      "LedgerlightApprovalRuleRequest": {
        "type": "object",
        "properties": { "amountThreshold": { "type": "integer", "format": "int64", "minimum": 0, "nullable": true, "description": "Minor units; null for none" } }
      },
      "LedgerlightVendorApproversRequest": {
        "type": "object", "required": ["approvers"],
        "properties": {
          "approvers": { "type": "array", "maxItems": 20, "items": {
            "type": "object", "required": ["userId"],
            "properties": {
              "userId": { "type": "string", "format": "uuid", "description": "A user or API key id of the company" },
              "priority": { "type": "integer", "format": "int32", "minimum": 1, "description": "Lower approves first" }
            } } }
        }
      },
      "LedgerlightBillingRunRequest": {
        "type": "object", "required": ["date"],
        "properties": { "date": { "type": "string", "format": "date", "description": "Bill every period starting on or before this day" } }
      },
      "LedgerlightBillingRunResult": {
        "type": "object", "required": ["date", "invoicesCreated", "invoiceIds", "failures"],
        "properties": {
          "date": { "type": "string", "format": "date" },
          "invoicesCreated": { "type": "integer", "format": "int32" },
          "invoiceIds": { "type": "array", "items": { "type": "string", "format": "uuid" } },
          "failures": { "type": "array", "items": {
            "type": "object", "required": ["contractId", "contractLineId", "periodStart", "message"],
            "properties": {
              "contractId": { "type": "string", "format": "uuid" },
              "contractLineId": { "type": "string", "format": "uuid" },
              "periodStart": { "type": "string", "format": "date" },
              "message": { "type": "string" }
            } } }
        }
      },
      "LedgerlightCreateCustomPropertyGroupRequest": {
        "type": "object", "required": ["internalName", "label", "inputType"],
        "properties": {
          "internalName": { "type": "string", "maxLength": 100, "description": "Unique per company" },
          "label": { "type": "string", "maxLength": 255 },
          "inputType": { "type": "string", "enum": ["SINGLE_SELECT", "MULTI_SELECT", "NUMERIC", "TEXT", "BOOLEAN", "DATE"] },
          "objectLevel": { "type": "string", "enum": ["HEADER", "LINE"], "description": "Default HEADER" },
          "objectTypes": { "$ref": "#/components/schemas/ExternalCustomPropertyGroupV1Model/properties/objectTypes" },
          "context": { "type": "string", "maxLength": 1000 },
          "required": { "type": "boolean" }
        }
      },
      "LedgerlightFundCardBalanceAccountRequest": {
        "type": "object", "required": ["bankAccountId", "amount"],
        "properties": {
          "bankAccountId": { "type": "string", "format": "uuid", "description": "A bank account of the balance account's entity, in its currency" },
          "amount": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 1000000000000000, "description": "Minor units" },
          "date": { "type": "string", "format": "date", "description": "Posting date (default: today, UTC)" },
          "description": { "type": "string", "maxLength": 1000 }
        }
      },
      "LedgerlightCardNetworkMessage": {
        "type": "object", "required": ["type", "reference"],
        "properties": {
          "type": { "type": "string", "enum": ["AUTHORIZATION", "CAPTURE", "VOID", "REFUND"] },
          "reference": { "type": "string", "maxLength": 255, "description": "The network's id of this message; a retry with the same reference answers the same transaction" },
          "cardId": { "type": "string", "format": "uuid", "description": "AUTHORIZATION: the card" },
          "transactionId": { "type": "string", "format": "uuid", "description": "CAPTURE, VOID, REFUND: the payment's card transaction" },
          "amount": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 1000000000000000, "description": "Minor units of currency (AUTHORIZATION; REFUND: default what is left)" },
          "currency": { "type": "string", "description": "ISO 4217; a foreign currency settles at the ECB rate of the day" },
          "merchant": { "type": "object", "properties": {
            "name": { "type": "string", "maxLength": 255 }, "country": { "type": "string" }, "mcc": { "type": "string", "maxLength": 4 },
            "id": { "type": "string" }, "zipcode": { "type": "string" } } },
          "purchaseType": { "type": "string", "enum": ["ATM", "BALANCE_INQUIRY", "ECOMMERCE", "POS", "RECURRING", "UNKNOWN", "OTHER"] },
          "performedAt": { "type": "string", "format": "date-time", "description": "Default: now" }
        }
      },
      "LedgerlightOAuthClient": {
        "type": "object", "required": ["id", "companyId", "name", "redirectUris", "isPublic", "createdAt"],
        "properties": {
          "id": { "type": "string", "format": "uuid", "description": "The client_id" },
          "companyId": { "type": "string", "format": "uuid" },
          "name": { "type": "string", "description": "Shown to users on the consent screen" },
          "redirectUris": { "type": "array", "items": { "type": "string" }, "description": "Matched exactly" },
          "isPublic": { "type": "boolean", "description": "No secret; PKCE S256 required" },
          "createdAt": { "type": "string", "format": "date-time" },
          "revokedAt": { "type": "string", "format": "date-time" }
        }
      },
      "LedgerlightCreatedOAuthClient": {
        "type": "object", "required": ["id", "companyId", "name", "redirectUris", "isPublic", "createdAt"],
        "properties": {
          "id": { "type": "string", "format": "uuid", "description": "The client_id" },
          "companyId": { "type": "string", "format": "uuid" },
          "name": { "type": "string" },
          "redirectUris": { "type": "array", "items": { "type": "string" } },
          "isPublic": { "type": "boolean" },
          "createdAt": { "type": "string", "format": "date-time" },
          "clientSecret": { "type": "string", "description": "Shown only in this answer; absent for a public client" }
        }
      },
      "LedgerlightCreateOAuthClientRequest": {
        "type": "object", "required": ["name", "redirectUris"],
        "properties": {
          "name": { "type": "string", "maxLength": 200 },
          "redirectUris": { "type": "array", "minItems": 1, "maxItems": 10, "items": { "type": "string", "maxLength": 2048 }, "description": "Absolute URIs without fragment" },
          "isPublic": { "type": "boolean", "description": "Default false (a confidential client with a secret)" }
        }
      },
      "LedgerlightOAuthGrant": {
        "type": "object", "required": ["id", "companyId", "userId", "clientId", "clientName", "createdAt", "lastUsedAt"],
        "properties": {
          "id": { "type": "string", "format": "uuid" },
          "companyId": { "type": "string", "format": "uuid" },
          "userId": { "type": "string", "format": "uuid" },
          "clientId": { "type": "string", "format": "uuid" },
          "clientName": { "type": "string" },
          "createdAt": { "type": "string", "format": "date-time" },
          "lastUsedAt": { "type": "string", "format": "date-time", "description": "Last code exchange or refresh" },
          "revokedAt": { "type": "string", "format": "date-time" },
          "revokedReason": { "type": "string" }
        }
      }
    }
    """;
}
