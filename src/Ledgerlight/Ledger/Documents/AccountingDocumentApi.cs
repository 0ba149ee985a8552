using Ledgerlight.Ledger.JournalEntries;

namespace Ledgerlight.Ledger.Documents;

/// <summary>ExternalAccountingDocumentWithAmountV1Model: one posted document of any type with its amount.</summary>
public sealed record AccountingDocumentModel(
    Guid Id, Guid CompanyId, Guid? CompanyEntityId, string? DocumentSequenceId, string? DocumentNumber, string DocumentType,
    string Status, string? Description, DateOnly? DocumentDate, bool AreLinesWithTax, string? BusinessPartnerName, Guid? BusinessPartnerId,
    DateTime CreatedAt, DateTime UpdatedAt, DirectedAmount TotalTransactionAmount, decimal? TotalTransactionAmountInMajors, string? Currency);

public sealed class AccountingDocumentRow : TimestampedRow
{
    public Guid CompanyEntityId { get; set; }
    public string DocumentType { get; set; } = "";
    public string LedgerName { get; set; } = "";
    public string? DocumentNumber { get; set; }
    public string? DocumentSequenceId { get; set; }
    public string Status { get; set; } = "";
    public string? Description { get; set; }
    public string Currency { get; set; } = "";
    public DateOnly? DocumentDate { get; set; }
    public DateOnly PostingDate { get; set; }
    public DateOnly? ValuationDate { get; set; }
    public bool AreLinesWithTax { get; set; }
    public string? BusinessPartnerName { get; set; }
    public Guid? BusinessPartnerId { get; set; }
    public long TotalAmount { get; set; }
    public string TotalDcSign { get; set; } = "";
    public Guid? CreatedBy { get; set; }

    public const string Columns =
        "d.company_id, d.id, d.company_entity_id, d.document_type, d.ledger_name, d.document_number, d.document_sequence_id, d.status, " +
        "d.description, d.currency, d.document_date, d.posting_date, d.valuation_date, d.are_lines_with_tax, d.business_partner_name, " +
        "d.business_partner_id, d.total_amount, d.total_dc_sign, d.created_by, d.created_at, d.updated_at";

    public AccountingDocumentModel ToModel() => new(Id, CompanyId, CompanyEntityId, DocumentSequenceId, DocumentNumber, DocumentType, Status,
        Description, DocumentDate, AreLinesWithTax, BusinessPartnerName, BusinessPartnerId, CreatedAt, UpdatedAt,
        new DirectedAmount(TotalAmount, TotalDcSign.Trim()), Money.ToMajors(TotalAmount, Currency.Trim()), Currency.Trim());
}

public static class AccountingDocumentApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt("d");
    static readonly QueryField PostingDate = new("postingDate", "d.posting_date", FieldType.Date);

    // Documents whose ledger lines touch an account (by code or label) or carry a tax code.
    static Func<FilterOperator, string, string> ThroughLines(string column) => (op, p) =>
        FilterSql.Apply(op, "EXISTS (SELECT 1 FROM ledger_lines l JOIN ledger_accounts a ON a.company_id = l.company_id AND a.id = l.account_id " +
                            $"WHERE l.company_id = d.company_id AND l.accounting_document_id = d.id AND {FilterSql.Compare(op, column, p)})");

    /// <summary>
    /// Sorts and filters of listAccountingDocuments that apply to the document types posted so far;
    /// the type-specific ones (ap*, ar*, ct*...) join as those areas start posting.
    /// </summary>
    public static readonly ListSpec<AccountingDocumentRow> Spec = ListFields.Spec<AccountingDocumentRow>("accounting_documents", "d", AccountingDocumentRow.Columns, d => d.Id,
        sortable:
        [
            (new("companyEntityId", "d.company_entity_id", FieldType.Uuid), d => d.CompanyEntityId),
            (new("documentSequenceId", "d.document_sequence_id", FieldType.Text, Nullable: true), d => d.DocumentSequenceId),
            (PostingDate, d => d.PostingDate),
            (new("valuationDate", "d.valuation_date", FieldType.Date, Nullable: true), d => d.ValuationDate),
            (new("documentDate", "d.document_date", FieldType.Date, Nullable: true), d => d.DocumentDate),
            (new("businessPartnerName", "d.business_partner_name", FieldType.Text, Nullable: true), d => d.BusinessPartnerName),
            (new("status", "d.status", FieldType.Enum), d => d.Status),
            (new("createdBy", "d.created_by", FieldType.Uuid, Nullable: true), d => d.CreatedBy),
            (CreatedAt, d => d.CreatedAt),
            (new("description", "d.description", FieldType.Text, Nullable: true), d => d.Description),
            (new("documentNumber", "d.document_number", FieldType.Text, Nullable: true), d => d.DocumentNumber),
        ],
        filterable:
        [
            ListFields.Id("d"),
            new("documentSequenceId", "d.document_sequence_id", FieldType.Text, Nullable: true),
            new("documentNumber", "d.document_number", FieldType.Text, Nullable: true),
            new("documentType", "d.document_type", FieldType.Enum),
            new("companyEntityId", "d.company_entity_id", FieldType.Uuid),
            new("ledgerName", "d.ledger_name", FieldType.Enum),
            new("businessPartnerName", "d.business_partner_name", FieldType.Text, Nullable: true),
            new("businessPartnerId", "d.business_partner_id", FieldType.Uuid, Nullable: true),
            new("status", "d.status", FieldType.Enum),
            new("currency", "d.currency::text", FieldType.Text),
            PostingDate,
            new("documentDate", "d.document_date", FieldType.Date, Nullable: true),
            new("valuationDate", "d.valuation_date", FieldType.Date, Nullable: true),
            CreatedAt,
            ListFields.UpdatedAt("d"),
            new("createdBy", "d.created_by", FieldType.Uuid, Nullable: true),
            new("accountCode", "", FieldType.Integer) { CustomFilter = ThroughLines("a.code") },
            new("accountLabel", "", FieldType.Text) { CustomFilter = ThroughLines("a.label") },
            new("taxCode", "", FieldType.Text) { CustomFilter = ThroughLines("l.tax_code") },
        ],
        defaultSort: ("createdAt", SortDirection.Desc));

    public static void MapAccountingDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapList("/v1/accounting-documents/accounting-documents", Spec, d => d.ToModel())
            .WithName("listAccountingDocuments")
            .RequirePermission(Permissions.Read("ledger"));
    }
}
