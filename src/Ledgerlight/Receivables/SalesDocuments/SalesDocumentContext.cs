
namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>References every sales document resolves (beyond Ledger.DocumentContext's entity and rates).</summary>
public static class SalesDocumentContext
{
    /// <summary>The company's base currency: a document's currency when the request names none.</summary>
    public static async Task<string> BaseCurrencyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId) =>
        (await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx))!;

    /// <summary>A bank account of the company; returns its ledger account (400 at <paramref name="field"/> when unknown).</summary>
    public static async Task<Guid> RequireBankAccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid bankAccountId, string field) =>
        await conn.ExecuteScalarAsync<Guid?>("SELECT ledger_account_id FROM bank_accounts WHERE company_id = @companyId AND id = @bankAccountId",
            new { companyId, bankAccountId }, tx)
        ?? throw ApiException.BadRequest($"Bank account {bankAccountId} does not exist", field);
}
