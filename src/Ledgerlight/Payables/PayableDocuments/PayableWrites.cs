namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>Small writes every payable document shares.</summary>
public static class PayableWrites
{
    /// <summary>
    /// The header fields bills and credit notes share (checked together by <see cref="PayableHeaderRules"/>), each set when
    /// the PATCH sends it; the number is the document's own field (bills: invoiceNumber; credit notes: documentNumber).
    /// </summary>
    public static PatchSet SetPayableHeader(this PatchSet set, PayableHeader h, string numberField, string numberColumn) =>
        set.Columns(h, nameof(h.Amount), nameof(h.Currency), nameof(h.Description))
            .Set(numberField, numberColumn, h.Number)
            .Set("localCurrencyFxRateOverride", "local_fx_rate_override", h.LocalRateOverride)
            .Set("groupCurrencyFxRateOverride", "group_fx_rate_override", h.GroupRateOverride)
            .CustomProperties(h.CustomProperties);

    /// <summary>A document's currency: the one requested, else the company's base currency.</summary>
    public static async Task<string> CurrencyOrBaseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string? requested) =>
        requested ?? await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx)
        ?? throw new InvalidOperationException($"Company {companyId} has no base currency");
}
