using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.PurchaseOrders;

public sealed class PurchaseOrderRow : VendorDocumentRow
{
    public Guid? OwnerId { get; set; }
    public Guid? CreatedBy { get; set; }
    public string State { get; set; } = "";
    public string? ErpNumber { get; set; }
    public string? VendorEmail { get; set; }
    public string? DeliveryAddress { get; set; }
    public DateOnly? DeliveryDate { get; set; }
    public DateOnly? PurchaseOrderDate { get; set; }
    public long TotalAmount { get; set; }
    public long TotalNetAmount { get; set; }
    public long TotalTaxAmount { get; set; }
    public long BilledAmount { get; set; }
    public DateTime? LockedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime? CancelledAt { get; set; }
    // Joined in for the list (ExternalBffPurchaseOrderV1Model).
    public string? VendorAvatarUrl { get; set; }
    public string? OwnerName { get; set; }

    public const string Columns =
        "p.company_id, p.id, p.company_entity_id, p.vendor_id, p.owner_id, p.created_by, p.state, p.currency, p.erp_number, " +
        "p.description, p.vendor_email, p.delivery_address, p.delivery_date, p.purchase_order_date, p.total_amount, " +
        "p.total_net_amount, p.total_tax_amount, p.billed_amount, p.locked_at, p.closed_at, p.cancelled_at, p.created_at, p.updated_at, " +
        "p.custom_properties::text AS custom_properties_json";

    /// <summary>The owner's display name as the list sorts by it.</summary>
    public const string OwnerNameSql = "NULLIF(trim(concat_ws(' ', u.first_name, u.last_name)), '')";

    public const string ListColumns = Columns + ", v.name AS vendor_name, v.avatar_url AS vendor_avatar_url, " + OwnerNameSql + " AS owner_name";

    public const string ListFrom =
        "purchase_orders p LEFT JOIN vendors v ON v.company_id = p.company_id AND v.id = p.vendor_id " +
        "LEFT JOIN users u ON u.company_id = p.company_id AND u.id = p.owner_id";

    public PurchaseOrderModel ToModel(IReadOnlyList<PurchaseOrderLineModel> lines, IReadOnlyList<Platform.CustomPropertyModel> customProperties) => new(
        Id, CompanyId, CreatedBy, CompanyEntityId, State, TotalAmount, TotalNetAmount, TotalTaxAmount, ErpNumber, Description,
        Currency.Trim(), OwnerId, VendorId, VendorEmail, DeliveryAddress, DeliveryDate, PurchaseOrderRules.EditStatusOf(State),
        PurchaseOrderDate, LockedAt, ClosedAt, CancelledAt, CreatedAt, UpdatedAt, lines, customProperties);

    public BffPurchaseOrderModel ToBffModel(IReadOnlyList<PurchaseOrderLineRow> lines) => new(
        Id, CompanyId, CreatedBy, CompanyEntityId, State, ErpNumber, Description, Currency.Trim(), TotalAmount, TotalNetAmount,
        TotalTaxAmount, BilledAmount, OwnerId, OwnerName, VendorId, VendorEmail, VendorName, VendorAvatarUrl, PurchaseOrderDate,
        DeliveryAddress, DeliveryDate, LockedAt, ClosedAt, CancelledAt, CreatedAt, UpdatedAt, lines.Select(l => l.ToBffModel()).ToList());
}

public sealed class PurchaseOrderLineRow : CustomPropertiesRow
{
    public Guid PurchaseOrderId { get; set; }
    public int Position { get; set; }
    public string? Description { get; set; }
    public Guid? CostCenterId { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? TaxCodeId { get; set; }
    public decimal Quantity { get; set; }
    public long UnitPrice { get; set; }
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public long Amount { get; set; }
    public long BilledAmount { get; set; }
    public string? AccountLabel { get; set; }
    public string? TaxCodeLabel { get; set; }

    public const string Columns =
        "l.company_id, l.id, l.purchase_order_id, l.position, l.description, l.cost_center_id, l.account_id, l.tax_code_id, " +
        "l.quantity, l.unit_price, l.net_amount, l.tax_amount, l.amount, l.billed_amount, l.created_at, l.updated_at, " +
        "a.label AS account_label, t.label AS tax_code_label, l.custom_properties::text AS custom_properties_json";

    public const string From =
        "purchase_order_lines l LEFT JOIN ledger_accounts a ON a.company_id = l.company_id AND a.id = l.account_id " +
        "LEFT JOIN tax_codes t ON t.company_id = l.company_id AND t.id = l.tax_code_id";

    public PurchaseOrderLineModel ToModel(IReadOnlyList<Platform.CustomPropertyModel> customProperties) => new(
        Id, CompanyId, PurchaseOrderId, Description, CostCenterId, AccountId, TaxCodeId, PurchaseOrderRules.Normalize(Quantity),
        UnitPrice, Amount, NetAmount, CreatedAt, UpdatedAt, customProperties);

    /// <summary>Light's list schema types quantity as an integer: a fractional quantity is left out there (get has it).</summary>
    public BffPurchaseOrderLineModel ToBffModel() => new(
        Id, CompanyId, PurchaseOrderId, Description, Quantity == decimal.Truncate(Quantity) ? (long)Quantity : null, UnitPrice,
        AccountId, AccountLabel, TaxCodeId, Amount, TaxAmount, NetAmount, TaxCodeLabel, CostCenterId, CreatedAt, UpdatedAt);
}
