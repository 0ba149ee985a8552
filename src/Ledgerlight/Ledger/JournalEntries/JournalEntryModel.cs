namespace Ledgerlight.Ledger.JournalEntries;

public sealed record JournalEntryLineModel(
    Guid Id, Guid JournalEntryId, DirectedAmount NetTransactionAmount, DirectedAmount GrossTransactionAmount,
    DirectedAmount TaxTransactionAmount, string? Description, Guid? TargetCompanyEntityId, Guid? LedgerTaxId, Guid? LedgerAccountId,
    Guid? CostCenterId, IReadOnlyList<object> CustomProperties, DateTime CreatedAt, DateTime UpdatedAt, Guid? AmortizationTemplateId,
    DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate);

/// <summary>ExternalJournalEntryV1Model.</summary>
public sealed record JournalEntryModel(
    Guid Id, Guid CompanyId, string? DocumentNumber, Guid CompanyEntityId, string LedgerName, Guid? CreatedBy, Guid? UpdatedBy,
    string? DocumentSequenceId, string Status, string? Description, string Currency, DateOnly? PostingDate, DateOnly? DocumentDate,
    DateOnly? ValuationDate, decimal? LocalCurrencyFxRate, decimal? GroupCurrencyFxRate, bool AreLinesWithTax,
    IReadOnlyList<JournalEntryLineModel> Lines, IReadOnlyList<object> CustomProperties, string? BusinessPartnerName,
    Guid? BusinessPartnerId, DateTime CreatedAt, DateTime UpdatedAt, DirectedAmount TotalNetTransactionAmount,
    DirectedAmount TotalTaxTransactionAmount, DirectedAmount TotalGrossTransactionAmount);

public sealed class JournalEntryRow : CustomPropertiesRow
{
    public Guid CompanyEntityId { get; set; }
    public string LedgerName { get; set; } = "";
    public string? DocumentNumber { get; set; }
    public string? DocumentSequenceId { get; set; }
    public string Status { get; set; } = "";
    public string? Description { get; set; }
    public string Currency { get; set; } = "";
    public DateOnly? PostingDate { get; set; }
    public DateOnly? DocumentDate { get; set; }
    public DateOnly? ValuationDate { get; set; }
    public decimal? LocalFxRateOverride { get; set; }
    public decimal? GroupFxRateOverride { get; set; }
    public decimal? LocalFxRate { get; set; }
    public decimal? GroupFxRate { get; set; }
    public bool AreLinesWithTax { get; set; }
    public string? BusinessPartnerName { get; set; }
    public Guid? BusinessPartnerId { get; set; }
    public Guid? PostedTransactionId { get; set; }
    public Guid? ReversalTransactionId { get; set; }
    public Guid? CreatedBy { get; set; }
    public Guid? UpdatedBy { get; set; }

    public const string Columns =
        "company_id, id, company_entity_id, ledger_name, document_number, document_sequence_id, status, description, currency, posting_date, " +
        "document_date, valuation_date, local_fx_rate_override, group_fx_rate_override, local_fx_rate, group_fx_rate, are_lines_with_tax, " +
        "business_partner_name, business_partner_id, posted_transaction_id, reversal_transaction_id, created_by, updated_by, created_at, updated_at, " +
        "custom_properties::text AS custom_properties_json";

    /// <param name="properties">Resolved custom properties: the entry's first, then one list per line in order.</param>
    public JournalEntryModel ToModel(IReadOnlyList<JournalEntryLineRow> lines, IReadOnlyList<IReadOnlyList<CustomPropertyModel>>? properties = null)
    {
        var (net, tax, gross) = JournalEntryRules.Totals(lines.Select(l => (l.DcSign.Trim(), l.NetAmount, l.TaxAmount, l.GrossAmount)));
        return new JournalEntryModel(Id, CompanyId, DocumentNumber, CompanyEntityId, LedgerName, CreatedBy, UpdatedBy, DocumentSequenceId,
            Status, Description, Currency.Trim(), PostingDate, DocumentDate, ValuationDate, LocalFxRate ?? LocalFxRateOverride,
            GroupFxRate ?? GroupFxRateOverride, AreLinesWithTax, lines.Select((l, i) => l.ToModel(properties?[i + 1])).ToList(),
            properties?[0] ?? [], BusinessPartnerName,
            BusinessPartnerId, CreatedAt, UpdatedAt, net, tax, gross);
    }
}

public sealed class JournalEntryLineRow : AmortizedLineRow
{
    public Guid JournalEntryId { get; set; }
    public int Position { get; set; }
    public string DcSign { get; set; } = "";
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public long GrossAmount { get; set; }
    public string? Description { get; set; }
    public Guid? TargetCompanyEntityId { get; set; }
    public Guid? LedgerTaxId { get; set; }
    public Guid? LedgerAccountId { get; set; }
    public Guid? CostCenterId { get; set; }

    public const string Columns =
        "custom_properties::text AS custom_properties_json, company_id, id, journal_entry_id, position, dc_sign, net_amount, tax_amount, gross_amount, description, target_company_entity_id, " +
        "ledger_tax_id, ledger_account_id, cost_center_id, amortization_template_id, amortization_start_date, amortization_end_date, created_at, updated_at";

    public JournalEntryLineModel ToModel(IReadOnlyList<CustomPropertyModel>? properties = null)
    {
        var sign = DcSign.Trim();
        return new JournalEntryLineModel(Id, JournalEntryId, new DirectedAmount(NetAmount, sign), new DirectedAmount(GrossAmount, sign),
            new DirectedAmount(TaxAmount, sign), Description, TargetCompanyEntityId, LedgerTaxId, LedgerAccountId, CostCenterId, properties ?? [],
            CreatedAt, UpdatedAt, AmortizationTemplateId, AmortizationStartDate, AmortizationEndDate);
    }
}
