namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>Small writes every payable document shares (the kernel's PatchSet has no jsonb column; this adds one).</summary>
public static class PayableWrites
{
    /// <summary>Sets the custom_properties jsonb when the PATCH sends customProperties (null or [] clears them).</summary>
    public static PatchSet SetCustomProperties(this PatchSet set, IReadOnlyList<SetCustomPropertyRequest>? properties)
    {
        if (!set.Has("customProperties")) return set;
        set.Raw("custom_properties = @customProperties::jsonb");
        set.Parameters.Add("customProperties", CustomPropertyRequests.ToJson(properties));
        return set;
    }

    /// <summary>
    /// The header fields bills and credit notes share (checked together by <see cref="PayableHeaderRules"/>), each set when
    /// the PATCH sends it; the number is the document's own field (bills: invoiceNumber; credit notes: documentNumber).
    /// </summary>
    public static PatchSet SetPayableHeader(this PatchSet set, PayableHeader h, string numberField, string numberColumn) =>
        set.Set("amount", "amount", h.Amount)
            .Set("currency", "currency", h.Currency)
            .Set("description", "description", h.Description)
            .Set(numberField, numberColumn, h.Number)
            .Set("localCurrencyFxRateOverride", "local_fx_rate_override", h.LocalRateOverride)
            .Set("groupCurrencyFxRateOverride", "group_fx_rate_override", h.GroupRateOverride)
            .SetCustomProperties(h.CustomProperties);

    /// <summary>A document's currency: the one requested, else the company's base currency.</summary>
    public static async Task<string> CurrencyOrBaseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string? requested) =>
        requested ?? await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx)
        ?? throw new InvalidOperationException($"Company {companyId} has no base currency");
}
