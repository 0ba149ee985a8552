using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>A customer credit as stored (customer_credits).</summary>
public sealed class CustomerCreditRow : SalesDocumentRow
{
    public string Status { get; set; } = "";
    public string? DocumentNumber { get; set; }
    public DateOnly? DocumentDate { get; set; }
    public long AppliedAmount { get; set; }
    public string? EinvoiceStatus { get; set; }

    public const string EffectivePostingSql = "COALESCE(c.posting_date, c.document_date, (c.created_at AT TIME ZONE 'UTC')::date)";
    public const string CustomerNameSql = "(SELECT cu.name FROM customers cu WHERE cu.company_id = c.company_id AND cu.id = c.customer_id)";

    public const string Columns =
        "c.company_id, c.id, c.company_entity_id, c.customer_id, c.status, c.document_number, c.description, c.currency, c.document_date, " +
        "c.posting_date, c.are_lines_with_tax, c.local_fx_rate, c.group_fx_rate, c.amount, c.applied_amount, c.posted_transaction_id, " +
        "c.einvoice_status, c.updated_by, c.created_at, c.updated_at, c.custom_properties::text AS custom_properties_json, " +
        EffectivePostingSql + " AS effective_posting_date, " + CustomerNameSql + " AS customer_name";

    public CustomerCreditModel ToModel(IReadOnlyList<CustomerCreditLineModel>? lines, RelatedAccDocModel? linked,
        IReadOnlyList<CustomPropertyModel> customProperties) => new(
        Id, CompanyId, CompanyEntityId, Amount, CustomerName, CustomerId, Status, Description, Currency, DocumentDate, PostingDate, AreLinesWithTax,
        lines, CreatedAt, UpdatedAt, UpdatedBy, linked, customProperties);
}

/// <summary>A customer credit line as stored.</summary>
public sealed class CustomerCreditLineRow : SalesLineRow, ISalesLineRow<CustomerCreditLineModel>
{
    public Guid CustomerCreditId { get; set; }
    public string? Description { get; set; }
    public long? AmountOverwrite { get; set; }

    public const string Columns =
        "company_id, id, customer_credit_id, product_id, quantity, tax_code_id, account_id, description, avatax_code, amount_overwrite, " +
        "tax_amount_overwrite, unit_price, net_amount, tax_amount, gross_amount, accrual_template_id, accrual_start_date, accrual_end_date, " +
        "created_at, updated_at, custom_properties::text AS custom_properties_json";

    public CreditLineInput Input => new(ProductId, Quantity, TaxCodeId, AccountId, AmountOverwrite, TaxAmountOverwrite);

    public SalesLineToPost ToPost => new(Id, ProductId, AccountId, TaxCodeId, NetAmount, TaxAmount, Description);

    public CustomerCreditLineModel ToModel(IReadOnlyList<CustomPropertyModel> customProperties) => new(
        Id, CompanyId, CustomerCreditId, new DirectedAmount(GrossAmount, "D"), new DirectedAmount(NetAmount, "D"), Description, TaxCodeId,
        new DirectedAmount(TaxAmount, "D"), AccountId, AvataxCode, ProductId, Quantity, CreatedAt, UpdatedAt, AccrualTemplateId, AccrualStartDate,
        AccrualEndDate, null, customProperties);
}
