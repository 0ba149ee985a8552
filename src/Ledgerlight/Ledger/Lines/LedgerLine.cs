namespace Ledgerlight.Ledger.Lines;

public sealed record LedgerLineAmountsModel(
    string DcSign, long TransactionAmount, decimal TransactionAmountInMajors, long SignedTransactionAmount, string TransactionCurrency,
    long LocalAmount, decimal LocalAmountInMajors, long SignedLocalAmount, string LocalCurrency,
    long GroupAmount, decimal GroupAmountInMajors, long SignedGroupAmount, string GroupCurrency, bool Debit, bool Credit);

/// <summary>ExternalLedgerTransactionLineV1Model.</summary>
public sealed record LedgerLineModel(
    Guid Id, Guid LedgerTransactionId, string TransactionSequenceId, Guid CompanyId, Guid CompanyEntityId, string CompanyEntityCode,
    string CompanyEntityName, string LedgerName, Guid AccountId, int AccountCode, string AccountLabel, string AccountType,
    Guid? AccountingDocumentLineId, string? DocumentSequenceId, Guid AccountingDocumentId, string? AccountingDocumentNumber,
    string DocumentType, DateOnly PostingDate, DateOnly ValuationDate, string? Description, string? DocumentDescription,
    LedgerLineAmountsModel Amounts, Guid? TaxId, string? TaxTagLabel, string? TaxCode, string? BusinessPartnerName,
    Guid? BusinessPartnerId, Guid? CostCenterId, string LedgerTransactionType, DateTime CreatedAt, Guid? CreatedBy,
    IReadOnlyList<object>? CustomProperties, bool Amortized);

public sealed class LedgerLineRow : TenantRow
{
    public Guid LedgerTransactionId { get; set; }
    public string TransactionSequenceId { get; set; } = "";
    public string TransactionType { get; set; } = "";
    public Guid CompanyEntityId { get; set; }
    public string CompanyEntityCode { get; set; } = "";
    public string CompanyEntityName { get; set; } = "";
    public string LedgerName { get; set; } = "";
    public Guid AccountId { get; set; }
    public int AccountCode { get; set; }
    public string AccountLabel { get; set; } = "";
    public string AccountType { get; set; } = "";
    public string DcSign { get; set; } = "";
    public long TransactionAmount { get; set; }
    public string TransactionCurrency { get; set; } = "";
    public long LocalAmount { get; set; }
    public string LocalCurrency { get; set; } = "";
    public long GroupAmount { get; set; }
    public string GroupCurrency { get; set; } = "";
    public DateOnly PostingDate { get; set; }
    public DateOnly ValuationDate { get; set; }
    public Guid AccountingDocumentId { get; set; }
    public Guid? AccountingDocumentLineId { get; set; }
    public string DocumentType { get; set; } = "";
    public string? DocumentNumber { get; set; }
    public string? DocumentSequenceId { get; set; }
    public string? Description { get; set; }
    public string? DocumentDescription { get; set; }
    public Guid? TaxId { get; set; }
    public string? TaxCode { get; set; }
    public string? TaxTagLabel { get; set; }
    public string? BusinessPartnerName { get; set; }
    public Guid? BusinessPartnerId { get; set; }
    public Guid? CostCenterId { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The stored jsonb as text, when a query selects it (a reversal copies it onto the mirror line).</summary>
    public string? CustomProperties { get; set; }

    public const string Select =
        "l.company_id, l.id, l.ledger_transaction_id, l.transaction_sequence_id, l.transaction_type, l.company_entity_id, " +
        LedgerLineSql.EntityCode + " AS company_entity_code, " + LedgerLineSql.EntityName + " AS company_entity_name, l.ledger_name, l.account_id, " +
        LedgerLineSql.AccountCode + " AS account_code, " + LedgerLineSql.AccountLabel + " AS account_label, " + LedgerLineSql.AccountType + " AS account_type, l.dc_sign, l.transaction_amount, l.transaction_currency, l.local_amount, " +
        "l.local_currency, l.group_amount, l.group_currency, l.posting_date, l.valuation_date, l.accounting_document_id, " +
        "l.accounting_document_line_id, l.document_type, l.document_number, l.document_sequence_id, l.description, l.document_description, " +
        "l.tax_id, l.tax_code, l.tax_tag_label, l.business_partner_name, l.business_partner_id, l.cost_center_id, l.created_by, l.created_at";

    /// <summary>
    /// Lines only: account and entity fields are looked up per returned row (scalar subqueries), so
    /// a page is an index range scan of ledger_lines however many lines the company has; a join
    /// here lets the planner start from the accounts and sort a million lines for one page.
    /// </summary>
    public const string From = "ledger_lines l";



    /// <summary>
    /// Selected only with includeCustomProperties (<see cref="LedgerLineApi.WithCustomProperties"/>): the jsonb is the widest column
    /// of a line, and the default page of this list is kept as cheap as it can be.
    /// </summary>
    public const string CustomPropertiesColumn = "l.custom_properties::text AS custom_properties";

    /// <param name="customProperties">The line's resolved values when the caller asked for them, else null (the field is omitted).</param>
    public LedgerLineModel ToModel(IReadOnlyList<CustomPropertyModel>? customProperties)
    {
        var sign = DcSign.Trim();
        var debit = sign == Ledger.DcSign.Debit;
        long Signed(long amount) => debit ? amount : -amount;
        string tc = TransactionCurrency.Trim(), lc = LocalCurrency.Trim(), gc = GroupCurrency.Trim();
        var amounts = new LedgerLineAmountsModel(sign, TransactionAmount, Money.ToMajors(TransactionAmount, tc), Signed(TransactionAmount), tc,
            LocalAmount, Money.ToMajors(LocalAmount, lc), Signed(LocalAmount), lc, GroupAmount, Money.ToMajors(GroupAmount, gc),
            Signed(GroupAmount), gc, debit, !debit);
        return new LedgerLineModel(Id, LedgerTransactionId, TransactionSequenceId, CompanyId, CompanyEntityId, CompanyEntityCode,
            CompanyEntityName, LedgerName, AccountId, AccountCode, AccountLabel, AccountType, AccountingDocumentLineId, DocumentSequenceId,
            AccountingDocumentId, DocumentNumber, DocumentType, PostingDate, ValuationDate, Description, DocumentDescription, amounts,
            TaxId, TaxTagLabel, TaxCode, BusinessPartnerName, BusinessPartnerId, CostCenterId, TransactionType, CreatedAt, CreatedBy,
            customProperties, false);
    }
}

/// <summary>ExternalGetLedgerTransactionLinesWithMaxAmountResponseV1Model.</summary>
public sealed record LedgerLinePage(long? MaxTransactionAmount, IReadOnlyList<LedgerLineModel> Records, bool HasMore, long? Total,
    string? NextCursor, string? PrevCursor);

/// <summary>Per-row lookups of a line's account and entity attributes (see LedgerLineRow.From).</summary>
public static class LedgerLineSql
{
    const string Account = "FROM ledger_accounts a WHERE a.company_id = l.company_id AND a.id = l.account_id";
    const string Entity = "FROM company_entities e WHERE e.company_id = l.company_id AND e.id = l.company_entity_id";
    public const string AccountCode = "(SELECT a.code " + Account + ")";
    public const string AccountLabel = "(SELECT a.label " + Account + ")";
    public const string AccountType = "(SELECT a.type " + Account + ")";
    public const string EntityCode = "(SELECT e.code " + Entity + ")";
    public const string EntityName = "(SELECT e.name " + Entity + ")";
}
