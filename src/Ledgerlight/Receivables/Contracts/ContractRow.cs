using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Contracts;

public sealed class ContractRow : CustomPropertiesRow
{
    public Guid CompanyEntityId { get; set; }
    public Guid? CustomerId { get; set; }
    public string State { get; set; } = "";
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public DateOnly? RenewalDate { get; set; }
    public DateOnly? BillingStart { get; set; }
    public DateOnly? TerminationDate { get; set; }
    public string? TerminationReason { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime? TerminatedAt { get; set; }
    public Guid? InvoiceTemplateId { get; set; }
    public string Currency { get; set; } = "";
    public long? EstimatedAmount { get; set; }
    public string? PaymentType { get; set; }
    public Guid? PayeeBankAccountId { get; set; }
    public int? NetTerms { get; set; }
    public int? InvoiceLeadDays { get; set; }
    public string? Description { get; set; }
    public bool AreLinesWithTax { get; set; }
    public string? DocumentKey { get; set; }
    // Read for listContracts' customerName and companyEntityName sorts (the cursor carries the sort key's value); not in the model.
    public string? CustomerName { get; set; }
    public string CompanyEntityName { get; set; } = "";

    public const string CustomerNameSql = "(SELECT cu.name FROM customers cu WHERE cu.company_id = c.company_id AND cu.id = c.customer_id)";
    public const string CompanyEntityNameSql =
        "(SELECT e.name FROM company_entities e WHERE e.company_id = c.company_id AND e.id = c.company_entity_id)";

    public const string Columns =
        "c.company_id, c.id, c.company_entity_id, c.customer_id, c.state, c.start_date, c.end_date, c.renewal_date, c.billing_start, " +
        "c.termination_date, c.termination_reason, c.activated_at, c.terminated_at, c.invoice_template_id, c.currency, c.estimated_amount, " +
        "c.payment_type, c.payee_bank_account_id, c.net_terms, c.invoice_lead_days, c.description, c.are_lines_with_tax, c.document_key, " +
        "c.created_at, c.updated_at, c.custom_properties::text AS custom_properties_json, " +
        CustomerNameSql + " AS customer_name, " + CompanyEntityNameSql + " AS company_entity_name";

    /// <summary>The last day the contract bills for: its end date, or the termination date when earlier.</summary>
    public DateOnly? LastBillableDay => (EndDate, TerminationDate) switch
    {
        ({ } e, { } t) => e < t ? e : t,
        ({ } e, null) => e,
        (null, { } t) => t,
        _ => null,
    };

    /// <summary>A scheduled termination is reported as the contract's end date.</summary>
    public ContractModel ToModel(IReadOnlyList<ContractLineModel>? lines, IReadOnlyList<CustomPropertyModel> customProperties) => new(
        Id, CompanyId, StartDate, LastBillableDay, ActivatedAt, TerminatedAt, TerminationReason, RenewalDate, CompanyEntityId, InvoiceTemplateId,
        Currency.Trim(), EstimatedAmount, PaymentType, PayeeBankAccountId, BillingStart, NetTerms, InvoiceLeadDays, Description, CustomerId, State,
        AreLinesWithTax, lines, "LIGHT", null, null, customProperties, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
}

public sealed class ContractLineRow : AmortizedLineRow, ISalesLineRow<ContractLineModel>
{
    public Guid ContractId { get; set; }
    public Guid ProductId { get; set; }
    public DateOnly? BillingStart { get; set; }
    public DateOnly? BillingEnd { get; set; }
    public string BillingRecurrence { get; set; } = "";
    public Guid? AccountId { get; set; }
    public Guid? TaxCodeId { get; set; }
    public string? AvataxCode { get; set; }
    public string? Discount { get; set; }
    public decimal Quantity { get; set; }
    public long? PriceOverwrite { get; set; }
    public string? ProductNameOverwrite { get; set; }

    public const string Columns =
        "company_id, id, contract_id, product_id, billing_start, billing_end, billing_recurrence, account_id, tax_code_id, avatax_code, " +
        "discount::text AS discount, quantity, price_overwrite, product_name_overwrite, amortization_template_id, amortization_start_date, " +
        "amortization_end_date, created_at, updated_at, custom_properties::text AS custom_properties_json";

    public ContractLineModel ToModel(IReadOnlyList<CustomPropertyModel> customProperties) => new(
        Id, CompanyId, ContractId, ProductId, BillingStart, BillingEnd, BillingRecurrence, AccountId, TaxCodeId, AvataxCode,
        Discount is null ? null : JsonDocument.Parse(Discount).RootElement.Clone(), Quantity, PriceOverwrite, ProductNameOverwrite,
        AmortizationTemplateId, AmortizationStartDate, AmortizationEndDate, [], customProperties, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
}
