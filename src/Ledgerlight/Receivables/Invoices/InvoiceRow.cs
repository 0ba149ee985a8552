using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>A sales invoice as stored (invoice_receivables).</summary>
public sealed class InvoiceRow : SalesDocumentRow
{
    public Guid? ContractId { get; set; }
    public string State { get; set; } = "";
    public string? InvoiceNumber { get; set; }
    public string? PaymentType { get; set; }
    public Guid? PayeeBankAccountId { get; set; }
    public DateOnly? InvoiceDate { get; set; }
    public DateOnly EffectiveInvoiceDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public int? NetTerms { get; set; }
    public Guid? InvoiceTemplateId { get; set; }
    public string? InvoiceTemplateAdditionalText { get; set; }
    public string? PoNumber { get; set; }
    public string? Reference { get; set; }
    public long PaidAmount { get; set; }
    public DateTime? OpenedAt { get; set; }

    /// <summary>The posting date shown before opening falls back to the invoice date, then to the creation day (UTC).</summary>
    public const string EffectivePostingSql = "COALESCE(i.posting_date, i.invoice_date, (i.created_at AT TIME ZONE 'UTC')::date)";
    public const string EffectiveInvoiceSql = "COALESCE(i.invoice_date, i.posting_date, (i.created_at AT TIME ZONE 'UTC')::date)";
    public const string CustomerNameSql = "(SELECT c.name FROM customers c WHERE c.company_id = i.company_id AND c.id = i.customer_id)";

    public const string Columns =
        "i.company_id, i.id, i.company_entity_id, i.customer_id, i.contract_id, i.state, i.invoice_number, i.description, i.currency, i.payment_type, " +
        "i.payee_bank_account_id, i.invoice_date, i.posting_date, i.due_date, i.net_terms, i.invoice_template_id, i.invoice_template_additional_text, " +
        "i.po_number, i.reference, i.are_lines_with_tax, i.local_fx_rate, i.group_fx_rate, i.amount, i.paid_amount, i.posted_transaction_id, " +
        "i.opened_at, i.updated_by, i.created_at, i.updated_at, i.custom_properties::text AS custom_properties_json, " +
        EffectivePostingSql + " AS effective_posting_date, " + EffectiveInvoiceSql + " AS effective_invoice_date, " + CustomerNameSql + " AS customer_name";

    public InvoiceModel ToModel(IReadOnlyList<InvoiceLineModel>? lines, IReadOnlyList<CustomPropertyModel> customProperties) => new(
        Id, CompanyId, ContractId, CompanyEntityId, Amount, PaymentType, PayeeBankAccountId, InvoiceDate, EffectiveInvoiceDate, EffectivePostingDate,
        DueDate, NetTerms, CustomerId, InvoiceTemplateId, InvoiceTemplateAdditionalText, InvoiceNumber, State, OpenedAt, PoNumber, Reference,
        Description, Currency, "LIGHT", AreLinesWithTax, LocalFxRate, GroupFxRate, lines, customProperties, CreatedAt, UpdatedAt, UpdatedBy);
}

/// <summary>A sales invoice line as stored.</summary>
public sealed class InvoiceLineRow : SalesLineRow, ISalesLineRow<InvoiceLineModel>
{
    public Guid InvoiceReceivableId { get; set; }
    public string? DiscountType { get; set; }
    public decimal? DiscountValue { get; set; }
    public long DiscountAmount { get; set; }
    public long? PriceOverwrite { get; set; }
    public string? ProductNameOverwrite { get; set; }
    public DateOnly? BillingStart { get; set; }
    public DateOnly? BillingEnd { get; set; }

    public const string Columns =
        "company_id, id, invoice_receivable_id, product_id, quantity, tax_code_id, account_id, discount_type, discount_value, unit_price, " +
        "discount_amount, net_amount, tax_amount, gross_amount, price_overwrite, product_name_overwrite, tax_amount_overwrite, avatax_code, " +
        "billing_start, billing_end, accrual_template_id, accrual_start_date, accrual_end_date, created_at, updated_at, " +
        "custom_properties::text AS custom_properties_json";

    public LineDiscount? Discount => DiscountType is null ? null : new LineDiscount(DiscountType, DiscountValue);

    public SalesLineInput Input => new(ProductId, Quantity, TaxCodeId, AccountId, Discount, PriceOverwrite, TaxAmountOverwrite);

    public SalesLineToPost ToPost => new(Id, ProductId, AccountId, TaxCodeId, NetAmount, TaxAmount, ProductNameOverwrite);

    public InvoiceLineModel ToModel(IReadOnlyList<CustomPropertyModel> customProperties) => new(
        Id, CompanyId, InvoiceReceivableId, ProductId, Quantity, TaxCodeId, AccountId, Discount, DiscountAmount, NetAmount, TaxAmount, AvataxCode,
        BillingStart, BillingEnd, PriceOverwrite, ProductNameOverwrite, CreatedAt, UpdatedAt, AccrualTemplateId, AccrualStartDate, AccrualEndDate, customProperties);
}
