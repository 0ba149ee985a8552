namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>Where a header's number sits in its API (bills: invoiceNumber; credit notes: documentNumber).</summary>
public sealed record PayableHeader(string? Currency, long? Amount, string? Number, string? Description, decimal? LocalRateOverride,
    decimal? GroupRateOverride, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

/// <summary>What a bill or credit note header can be checked for without the database, on create and on PATCH alike.</summary>
public static class PayableHeaderRules
{
    public static void Check(Validation v, PayableHeader h, string numberField)
    {
        v.Currency(h.Currency, "currency");
        v.Amount(h.Amount, "amount");
        v.MaxLength(h.Number, 255, numberField);
        v.MaxLength(h.Description, 1000, "description");
        if (h.LocalRateOverride is <= 0) v.Add("'localCurrencyFxRateOverride' must be positive", "localCurrencyFxRateOverride");
        if (h.GroupRateOverride is <= 0) v.Add("'groupCurrencyFxRateOverride' must be positive", "groupCurrencyFxRateOverride");
        CustomPropertyRequests.CheckShape(v, h.CustomProperties, "customProperties");
    }

    /// <summary>A header PATCH's checks before the database: fields that may not be cleared, then <see cref="Check"/>; not yet thrown.</summary>
    public static Validation CheckPatch(JsonElement body, string[] notClearable, PayableHeader h, string numberField)
    {
        var v = new Validation();
        v.RefuseClearing(body, notClearable);
        Check(v, h, numberField);
        return v;
    }
}
