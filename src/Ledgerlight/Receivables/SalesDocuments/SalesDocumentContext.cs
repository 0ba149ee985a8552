using Ledgerlight.Receivables.Customers;

namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>References every sales document resolves (beyond Ledger.DocumentContext's entity and rates).</summary>
public static class SalesDocumentContext
{
    /// <summary>The company's base currency: a document's currency when the request names none.</summary>
    public static async Task<string> BaseCurrencyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId) =>
        (await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx))!;

    /// <summary>
    /// A new document's entity (the company's only one when none is named) and currency (the base currency when none is
    /// named), after checking the other references its header names (<see cref="CheckReferencesAsync"/>).
    /// </summary>
    public static async Task<(Guid EntityId, string Currency)> ResolveNewAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        string? currency, HeaderReferences references)
    {
        var entityId = await DocumentContext.ResolveEntityAsync(conn, tx, companyId, references.EntityId);
        var resolvedCurrency = currency ?? await BaseCurrencyAsync(conn, tx, companyId);
        await CheckReferencesAsync(conn, tx, companyId, references with { EntityId = null });
        return (entityId, resolvedCurrency);
    }

    /// <summary>
    /// The references a create or PATCH names, each checked only when given, in this order: the entity, the customer (must be
    /// invoiceable), the payee bank account, then the custom property values of the header and of each line.
    /// </summary>
    public static async Task CheckReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, HeaderReferences r)
    {
        if (r.EntityId is { } entityId) await DocumentContext.ResolveEntityAsync(conn, tx, companyId, entityId);
        if (r.CustomerId is { } customerId) await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, customerId, "customerId");
        if (r.PayeeBankAccountId is { } bank) await RequireBankAccountAsync(conn, tx, companyId, bank, "payeeBankAccountId");
        await DocumentCustomProperties.ValidateAsync(conn, tx, companyId, r.ObjectType, r.CustomProperties, r.LineCustomProperties ?? []);
    }

    /// <summary>A bank account of the company; returns its ledger account (400 at <paramref name="field"/> when unknown).</summary>
    public static async Task<Guid> RequireBankAccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid bankAccountId, string field) =>
        await conn.ExecuteScalarAsync<Guid?>("SELECT ledger_account_id FROM bank_accounts WHERE company_id = @companyId AND id = @bankAccountId",
            new { companyId, bankAccountId }, tx)
        ?? throw ApiException.BadRequest($"Bank account {bankAccountId} does not exist", field);
}

/// <summary>What a sales document's header refers to; null: not named (on a PATCH: not changed).</summary>
/// <param name="ObjectType">The custom property object type of the document and its lines.</param>
/// <param name="LineCustomProperties">On a create, each line's values; null on a PATCH (lines have their own endpoints).</param>
public sealed record HeaderReferences(string ObjectType, Guid? EntityId, Guid? CustomerId, Guid? PayeeBankAccountId,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, IReadOnlyList<IReadOnlyList<SetCustomPropertyRequest>?>? LineCustomProperties = null);
