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
    // The source document's sort keys, selected only by a page sorted by one of them (AccountingDocumentApi.SortedBySource).
    public DateOnly? ArDueDate { get; set; }
    public DateTime? ArOpenedAt { get; set; }
    public DateTime? CtPerformedAt { get; set; }
    public string? CtStatus { get; set; }
    public long? CtAmount { get; set; }
    public long? CcAmount { get; set; }

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

    // The document a posting came from: bills (AP), sales invoices (AR), card transactions (CT), card balance account fundings (CC,
    // Light's type for card movements), credit notes and customer credits (both CN) post under their own id
    // (PostingDocument.DocumentId), so their row is the one with the accounting document's id. Payments and clearings post under ids
    // of their own and so have no source row; their ap*/ar*/ct*/cc* values are null.
    const string Bills = "invoice_payables", Invoices = "invoice_receivables", CardTransactions = "card_transactions",
        CardFundings = "card_balance_account_fundings";

    static string SourceRow(string table) => $"FROM {table} s WHERE s.company_id = d.company_id AND s.id = d.id";

    /// <summary>
    /// A column of the source document: the scalar subquery sorts; a filter tests "the source row matches" (EXISTS, so the
    /// planner may start from the source table's rows), and ne / not_in keep the documents without one, as a null does.
    /// </summary>
    static QueryField Source(string name, string table, string column, FieldType type) =>
        new(name, $"(SELECT s.{column} {SourceRow(table)})", type, Nullable: true)
        {
            CustomFilter = (op, p) => FilterSql.Apply(op,
                $"EXISTS (SELECT 1 {SourceRow(table)} AND {FilterSql.Compare(op, "s." + column, p)})"),
        };

    /// <summary>
    /// A field of a feature Ledgerlight does not have (intercompany documents and entries, the year-end close): every document's
    /// value is null. It is accepted rather than answered with a 400, so an integration written against Light keeps working, and
    /// compares as null does: eq, in and ranges match nothing, ne and not_in every document.
    /// </summary>
    static QueryField NoValue(string name) => new(name, "", FieldType.Uuid) { CustomFilter = (op, _) => FilterSql.Apply(op, "FALSE") };

    /// <summary>The type of document a credit note adjusts: a vendor's credit note (credit_notes) a bill, a customer credit an invoice.</summary>
    static readonly QueryField CnToBeAdjustedAccDocType = new("cnToBeAdjustedAccDocType",
        $"(CASE WHEN EXISTS (SELECT 1 {SourceRow("credit_notes")}) THEN 'AP' WHEN EXISTS (SELECT 1 {SourceRow("customer_credits")}) THEN 'AR' END)",
        FieldType.Enum, Nullable: true);

    static readonly QueryField ArDueDate = Source("arDueDate", Invoices, "due_date", FieldType.Date);
    static readonly QueryField ArOpenedAt = Source("arOpenedAt", Invoices, "opened_at", FieldType.Timestamp);
    static readonly QueryField CtPerformedAt = Source("ctPerformedAt", CardTransactions, "performed_at", FieldType.Timestamp);
    static readonly QueryField CtStatus = Source("ctStatus", CardTransactions, "status", FieldType.Enum);
    static readonly QueryField CtAmount = Source("ctAmount", CardTransactions, "amount", FieldType.Integer);
    static readonly QueryField CcAmount = Source("ccAmount", CardFundings, "amount", FieldType.Integer);
    static readonly string[] SourceSortNames = [.. new[] { ArDueDate, ArOpenedAt, CtPerformedAt, CtStatus, CtAmount, CcAmount }.Select(f => f.Name)];

    /// <summary>Sorts and filters as listed in listAccountingDocuments' parameter descriptions.</summary>
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
            (ArDueDate, d => d.ArDueDate),
            (ArOpenedAt, d => d.ArOpenedAt),
            (CtPerformedAt, d => d.CtPerformedAt),
            (CtStatus, d => d.CtStatus),
            (CtAmount, d => d.CtAmount),
            (CcAmount, d => d.CcAmount),
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
            NoValue("intercompanyDocumentId"),
            Source("apDueDate", Bills, "due_date", FieldType.Date),
            Source("apState", Bills, "state", FieldType.Enum),
            Source("apVendorId", Bills, "vendor_id", FieldType.Uuid),
            Source("arContractId", Invoices, "contract_id", FieldType.Uuid),
            ArDueDate,
            Source("arCustomerId", Invoices, "customer_id", FieldType.Uuid),
            Source("arInvoiceTemplateId", Invoices, "invoice_template_id", FieldType.Uuid),
            Source("arPayeeBankAccountId", Invoices, "payee_bank_account_id", FieldType.Uuid),
            ArOpenedAt,
            Source("arState", Invoices, "state", FieldType.Enum),
            Source("ctCardId", CardTransactions, "card_id", FieldType.Uuid),
            Source("ctCardBalanceAccountId", CardTransactions, "card_balance_account_id", FieldType.Uuid),
            CtStatus,
            CtPerformedAt,
            CnToBeAdjustedAccDocType,
            NoValue("intercompanyJournalEntryId"),
            NoValue("ycAccountingYearId"),
            new("accountCode", "", FieldType.Integer) { CustomFilter = ThroughLines("a.code") },
            new("accountLabel", "", FieldType.Text) { CustomFilter = ThroughLines("a.label") },
            new("taxCode", "", FieldType.Text) { CustomFilter = ThroughLines("l.tax_code") },
        ],
        defaultSort: ("createdAt", SortDirection.Desc));

    /// <summary>
    /// The list with the source documents' sort keys selected (a cursor is made of the last row's keys): only a page sorted by
    /// one of them reads them, so the default page stays one scan of accounting_documents.
    /// </summary>
    static readonly ListSpec<AccountingDocumentRow> SortedBySource = Spec.AlsoSelecting(
        $"{ArDueDate.Sql} AS ar_due_date, {ArOpenedAt.Sql} AS ar_opened_at, {CtPerformedAt.Sql} AS ct_performed_at, " +
        $"{CtStatus.Sql} AS ct_status, {CtAmount.Sql} AS ct_amount, {CcAmount.Sql} AS cc_amount");

    public static void MapAccountingDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapList("/v1/accounting-documents/accounting-documents", async call =>
            {
                var spec = Spec.SortedBy(call.Request, SourceSortNames, SortedBySource);
                return ApiResults.Ok((await call.PageAsync(spec)).Map(d => d.ToModel()));
            })
            .WithName("listAccountingDocuments")
            .RequirePermission(Permissions.Read("ledger"));
    }
}
