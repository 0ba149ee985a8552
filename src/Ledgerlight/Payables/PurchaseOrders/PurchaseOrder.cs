using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>ExternalCreatePurchaseOrderLineRequestV1Model (also one element of bulkCreatePurchaseOrderLines).</summary>
public sealed record CreatePurchaseOrderLineRequest(
    string? Description, Guid? CostCenterId, Guid? AccountId, Guid? TaxCodeId, decimal? Quantity, long? UnitPrice,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

/// <summary>
/// ExternalUpdatePurchaseOrderLineRequestV1Model and ExternalBatchUpdatePurchaseOrderLineRequestV1Model
/// (the batch one adds lineId). PATCH semantics: the raw JSON decides what is present.
/// </summary>
public sealed record UpdatePurchaseOrderLineRequest(
    Guid? LineId, string? Description, Guid? CostCenterId, Guid? AccountId, Guid? TaxCodeId, decimal? Quantity, long? UnitPrice,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

/// <summary>ExternalCreatePurchaseOrderRequestV1Model.</summary>
public sealed record CreatePurchaseOrderRequest(
    Guid? VendorId, Guid? CompanyEntityId, Guid? OwnerId, string? Currency, string? VendorEmail, DateOnly? PurchaseOrderDate,
    string? DeliveryAddress, DateOnly? DeliveryDate, string? Description, IReadOnlyList<CreatePurchaseOrderLineRequest>? Lines,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

/// <summary>ExternalUpdatePurchaseOrderRequestV1Model (PATCH: null clears, absent keeps).</summary>
public sealed record UpdatePurchaseOrderRequest(
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, Guid? VendorId, Guid? CompanyEntityId, Guid? OwnerId, string? Currency,
    DateOnly? PurchaseOrderDate, string? VendorEmail, string? DeliveryAddress, DateOnly? DeliveryDate, string? Description);

/// <summary>ExternalPurchaseOrderLineV1Model.</summary>
public sealed record PurchaseOrderLineModel(
    Guid Id, Guid CompanyId, Guid PurchaseOrderId, string? Description, Guid? CostCenterId, Guid? AccountId, Guid? TaxCodeId,
    decimal Quantity, long UnitPrice, long Amount, long NetAmount, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<CustomPropertyModel> CustomProperties);

/// <summary>ExternalPurchaseOrderV1Model.</summary>
public sealed record PurchaseOrderModel(
    Guid Id, Guid CompanyId, Guid? CreatedBy, Guid CompanyEntityId, string State, long TotalAmount, long TotalNetAmount,
    long TotalTaxAmount, string? ErpNumber, string? Description, string Currency, Guid? OwnerId, Guid? VendorId, string? VendorEmail,
    string? DeliveryAddress, DateOnly? DeliveryDate, string EditStatus, DateOnly? PurchaseOrderDate, DateTime? LockedAt,
    DateTime? ClosedAt, DateTime? CancelledAt, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<PurchaseOrderLineModel> Lines,
    IReadOnlyList<CustomPropertyModel> CustomProperties);

/// <summary>ExternalBffPurchaseOrderLineV1Model (the list's line; its quantity is an integer in Light's schema).</summary>
public sealed record BffPurchaseOrderLineModel(
    Guid Id, Guid CompanyId, Guid PurchaseOrderId, string? Description, long? Quantity, long UnitPrice, Guid? AccountId,
    string? AccountLabel, Guid? TaxCodeId, long Amount, long TaxAmount, long NetAmount, string? TaxCodeLabel, Guid? CostCenterId,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalBffPurchaseOrderV1Model: totalMatchedAmount is what bills have matched (billed) so far.</summary>
public sealed record BffPurchaseOrderModel(
    Guid Id, Guid CompanyId, Guid? CreatedBy, Guid CompanyEntityId, string State, string? ErpNumber, string? Description,
    string Currency, long TotalAmount, long TotalNetAmount, long TotalTaxAmount, long TotalMatchedAmount, Guid? OwnerId,
    string? OwnerName, Guid? VendorId, string? VendorEmail, string? VendorName, string? VendorAvatarUrl, DateOnly? PurchaseOrderDate,
    string? DeliveryAddress, DateOnly? DeliveryDate, DateTime? LockedAt, DateTime? ClosedAt, DateTime? CancelledAt,
    DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<BffPurchaseOrderLineModel> Lines);

public static class PurchaseOrderState
{
    public const string InDraft = "IN_DRAFT";
    public const string Open = "OPEN";
    public const string Closed = "CLOSED";
    public const string Cancelled = "CANCELLED";
}

/// <summary>What can be done to a purchase order; <see cref="PurchaseOrderLifecycle"/> says from which states.</summary>
public enum PurchaseOrderAction { Lock, Close, Cancel, Reset, Edit, Bill }

/// <summary>A line's amounts settled: net = round(quantity × unitPrice), tax on net, amount = net + tax.</summary>
public sealed record LineAmounts(long Net, long Tax, long Gross);

/// <summary>Purchase order rules that need no database: states, line math, input limits.</summary>
public static class PurchaseOrderRules
{
    /// <summary>At most this many lines per order and per bulk request.</summary>
    public const int MaxLines = Limits.MaxLinesPerDocument;
    public const decimal MaxQuantity = 1_000_000_000m;
    public const int QuantityScale = 6;

    public static string EditStatusOf(string state) => state == PurchaseOrderState.InDraft ? "ALL_EDITS_ALLOWED" : "ALL_EDITS_LOCKED";

    /// <summary>
    /// net = quantity × unitPrice rounded half away from zero to the minor unit, once per line; tax
    /// from the tax code's rate on that net (TaxMath.FromNet), or none without a tax code.
    /// Null when the net is beyond <see cref="Limits.MaxAmount"/> (so the gross and 500 lines of it fit in int64).
    /// </summary>
    public static LineAmounts? Amounts(decimal quantity, long unitPrice, decimal? taxRatePercent)
    {
        try
        {
            var net = decimal.Round(quantity * unitPrice, 0, MidpointRounding.AwayFromZero);
            if (net is > Limits.MaxAmount or < 0) return null;
            var n = (long)net;
            var tax = taxRatePercent is { } rate ? TaxMath.FromNet(n, rate) : 0;
            return new LineAmounts(n, tax, checked(n + tax));
        }
        catch (Exception e) when (e is OverflowException)
        {
            return null;
        }
    }

    /// <summary>Checks one line's own fields (references are checked against the database separately).</summary>
    public static void ValidateQuantity(Validation v, decimal? quantity, params object[] path)
    {
        if (quantity is not { } q) return;
        if (q <= 0) v.Add("'quantity' must be greater than zero", path);
        else if (q > MaxQuantity) v.Add($"'quantity' must be at most {MaxQuantity}", path);
        else if (decimal.Round(q, QuantityScale) != q) v.Add($"'quantity' takes at most {QuantityScale} decimal places", path);
    }

    public static void ValidateUnitPrice(Validation v, long? unitPrice, params object[] path)
    {
        v.Amount(unitPrice, path);
    }

    /// <summary>Quantity without trailing zeros (numeric(20,6) reads back as 2.000000).</summary>
    public static decimal Normalize(decimal quantity) => quantity / 1.000000000000000000000000000000000m;
}
