
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

    /// <summary>A document's currency: the one requested, else the company's base currency.</summary>
    public static async Task<string> CurrencyOrBaseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string? requested) =>
        requested ?? await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx)
        ?? throw new InvalidOperationException($"Company {companyId} has no base currency");
}
