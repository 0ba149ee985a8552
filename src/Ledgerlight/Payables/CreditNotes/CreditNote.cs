using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>Credit note statuses (Light's enum); which action each allows is <see cref="CreditNoteLifecycle"/>.</summary>
public static class CreditNoteStatus
{
    public const string Draft = "DRAFT";
    public const string Posted = "POSTED";
    public const string PartiallyCleared = "PARTIALLY_CLEARED";
    public const string Cleared = "CLEARED";
    public const string Archived = "ARCHIVED";

    /// <summary>Statuses in which the note is in the ledger (its CN entry stands).</summary>
    public static readonly IReadOnlySet<string> InLedger = new HashSet<string> { Posted, PartiallyCleared, Cleared };

    /// <summary>A posted note's status from how much of it is cleared against bills.</summary>
    public static string AfterClearing(long amount, long cleared) =>
        cleared <= 0 ? Posted : cleared >= amount ? Cleared : PartiallyCleared;
}

/// <summary>Line amounts: gross given when lines include tax, else net; tax from the request or the tax code; rounded per line.</summary>
public static class CreditNoteLineRules
{
    /// <summary>Gross when the note's lines include tax, else net (the other as a fallback); tax given or from the rate.</summary>
    public static EnteredAmounts? Compute(long? gross, long? net, long? tax, decimal? ratePercent, bool withTax, Validation v, params object[] path) =>
        LineMath.FromEntered(gross, net, tax, ratePercent, withTax,
            new EnteredAmountPaths([.. path, "grossTransactionAmount", "amount"], [.. path, "netTransactionAmount", "amount"],
                [.. path, "taxTransactionAmount", "amount"]), v);

    /// <summary>What a line can be checked for without the database (run over the whole body first).</summary>
    public static void CheckShape(CreditNoteLineRequest r, Validation v, params object[] path)
    {
        v.Amount(r.GrossTransactionAmount?.Amount, [.. path, "grossTransactionAmount", "amount"]);
        v.Amount(r.NetTransactionAmount?.Amount, [.. path, "netTransactionAmount", "amount"]);
        v.Amount(r.TaxTransactionAmount?.Amount, [.. path, "taxTransactionAmount", "amount"]);
        v.MaxLength(r.Description, 1000, [.. path, "description"]);
    }

    /// <summary>
    /// A PATCHed line merged with the stored one: fields sent win (null clears), the rest stay. The amount that drives the
    /// line is the one sent, else the one the note's mode takes; the stored tax is kept only when no amount or tax code is sent.
    /// </summary>
    public static CreditNoteLineRequest Merge(CreditNoteLineRow current, CreditNoteLineRequest r, bool linesWithTax, Func<string, bool> has)
    {
        var grossSent = has("grossTransactionAmount");
        var netSent = has("netTransactionAmount");
        DirectedAmount? gross = grossSent ? r.GrossTransactionAmount : !netSent && linesWithTax ? new(current.GrossAmount, "C") : null;
        DirectedAmount? net = netSent ? r.NetTransactionAmount : !grossSent && !linesWithTax ? new(current.NetAmount, "C") : null;
        var taxCodeSent = has("ledgerTaxId");
        DirectedAmount? tax = has("taxTransactionAmount") ? r.TaxTransactionAmount
            : !taxCodeSent && !grossSent && !netSent ? new(current.TaxAmount, "C") : null;
        return new CreditNoteLineRequest(net, gross, tax,
            has("description") ? r.Description : current.Description,
            taxCodeSent ? r.LedgerTaxId : current.TaxCodeId,
            has("ledgerAccountId") ? r.LedgerAccountId : current.AccountId,
            has("costCenterId") ? r.CostCenterId : current.CostCenterId,
            has("accrualTemplateId") ? r.AccrualTemplateId : current.AccrualTemplateId,
            has("accrualStartDate") ? r.AccrualStartDate : current.AccrualStartDate,
            has("accrualEndDate") ? r.AccrualEndDate : current.AccrualEndDate, r.CustomProperties);
    }
}

// ---- Requests ----

public sealed record DirectedAmount(long? Amount, string? DcSign);

public sealed record CreditNoteLineRequest(
    DirectedAmount? NetTransactionAmount, DirectedAmount? GrossTransactionAmount, DirectedAmount? TaxTransactionAmount, string? Description,
    Guid? LedgerTaxId, Guid? LedgerAccountId, Guid? CostCenterId, Guid? AccrualTemplateId, DateOnly? AccrualStartDate, DateOnly? AccrualEndDate,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

public sealed record CreateCreditNoteRequest(
    Guid? CompanyEntityId, string? Currency, DateOnly? DocumentDate, Guid? BusinessPartnerId, string? Description, long? Amount,
    bool? AreLinesWithTax, string? DocumentNumber, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties,
    IReadOnlyList<CreditNoteLineRequest>? Lines, decimal? LocalCurrencyFxRateOverride, decimal? GroupCurrencyFxRateOverride);

public sealed record UpdateCreditNoteRequest(
    Guid? CompanyEntityId, Guid? BusinessPartnerId, DateOnly? DocumentDate, bool? AreLinesWithTax,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, string? Description, string? Currency, long? Amount, string? DocumentNumber,
    decimal? LocalCurrencyFxRateOverride, decimal? GroupCurrencyFxRateOverride);

public sealed record LinkRequest(long? Amount);

// ---- Responses (Light's models) ----

public sealed record DirectedAmountModel(long Amount, string DcSign);

public sealed record CreditNoteLineModel(
    Guid Id, Guid CompanyId, Guid CreditNoteId, DirectedAmountModel GrossTransactionAmount, DirectedAmountModel NetTransactionAmount,
    string? Description, Guid? LedgerTaxId, DirectedAmountModel TaxTransactionAmount, Guid? LedgerAccountId, Guid? CostCenterId,
    DateTime CreatedAt, DateTime UpdatedAt, Guid? AccrualTemplateId, DateOnly? AccrualStartDate, DateOnly? AccrualEndDate,
    int? AccrualDefaultDuration, IReadOnlyList<CustomPropertyModel> CustomProperties);

public sealed record CreditNoteModel(
    Guid Id, Guid CompanyId, Guid? CompanyEntityId, long? Amount, string? BusinessPartnerName, Guid? BusinessPartnerId, string Status,
    string? Description, string Currency, DateOnly? PostingDate, DateOnly? DocumentDate, DateOnly? ValuationDate, bool AreLinesWithTax,
    IReadOnlyList<CreditNoteLineModel> Lines, DateTime CreatedAt, DateTime UpdatedAt, Guid? UpdatedBy, decimal? LocalCurrencyFxRate,
    decimal? GroupCurrencyFxRate, string? SenderEmail, string? DocumentName,
    // Ledgerlight additions (Light's schema allows extra fields): the vendor's number, the ledger's number, the open amount.
    string? DocumentNumber, string? LedgerDocumentNumber, long? OpenAmount, IReadOnlyList<CustomPropertyModel> CustomProperties);

public sealed record RelatedAccDocModel(Guid Id, string? DocumentNumber, DateOnly? DocumentDate, string Status, long? Amount, string Currency);

public sealed record CreditNoteLinkModel(Guid CompanyId, RelatedAccDocModel CreditNote, RelatedAccDocModel InvoicePayable, long Amount,
    string Currency, DateTime CreatedAt, DateTime UpdatedAt);

// ---- Rows ----

public sealed class CreditNoteRow : PayableDocumentRow
{
    public string Status { get; set; } = "";
    public string? DocumentNumber { get; set; }
    public string? LedgerDocumentNumber { get; set; }
    public DateOnly? DocumentDate { get; set; }
    public bool AreLinesWithTax { get; set; }
    public string? DocumentBlobKey { get; set; }
    public string? DocumentName { get; set; }
    public Guid? UpdatedBy { get; set; }
    public long Linked { get; set; }

    public const string From = "credit_notes c LEFT JOIN vendors v ON v.company_id = c.company_id AND v.id = c.vendor_id";

    public const string Columns =
        "c.company_id, c.id, c.company_entity_id, c.vendor_id, v.name AS vendor_name, c.status, c.document_number, c.ledger_document_number, " +
        "c.amount, trim(c.currency) AS currency, c.description, c.document_date, c.posting_date, c.are_lines_with_tax, c.local_fx_rate_override, " +
        "c.group_fx_rate_override, c.local_fx_rate, c.group_fx_rate, c.posted_transaction_id, c.document_blob_key, c.document_name, c.updated_by, " +
        "COALESCE((SELECT sum(k.amount) FROM credit_note_links k WHERE k.company_id = c.company_id AND k.credit_note_id = c.id), 0) AS linked, " +
        "c.created_at, c.updated_at, c.custom_properties::text AS custom_properties_json";

    /// <summary>The same columns over credit_notes alone (the vendor's name as a subquery), for a DocumentTable that reads and locks one note.</summary>
    public static readonly string OwnColumns = Columns.Replace("v.name AS vendor_name",
        "(SELECT x.name FROM vendors x WHERE x.company_id = c.company_id AND x.id = c.vendor_id) AS vendor_name");

    public CreditNoteModel ToModel(IReadOnlyList<CreditNoteLineModel> lines, IReadOnlyList<CustomPropertyModel>? customProperties = null) => new(Id, CompanyId, CompanyEntityId, Amount, VendorName, VendorId,
        Status, Description, Currency, PostingDate ?? DocumentDate, DocumentDate, null, AreLinesWithTax, lines, CreatedAt, UpdatedAt, UpdatedBy,
        LocalFxRate ?? LocalFxRateOverride, GroupFxRate ?? GroupFxRateOverride, null, DocumentName, DocumentNumber, LedgerDocumentNumber,
        Status == CreditNoteStatus.Archived ? null : (Amount ?? 0) - Linked, customProperties ?? []);

    public RelatedAccDocModel ToRelated() => new(Id, DocumentNumber ?? LedgerDocumentNumber, DocumentDate, Status, Amount, Currency);
}

public sealed class CreditNoteLineRow : PayableDocuments.PayableLineRow
{
    public Guid CreditNoteId { get; set; }
    public long GrossAmount { get; set; }
    public Guid? CostCenterId { get; set; }
    public Guid? AccrualTemplateId { get; set; }
    public DateOnly? AccrualStartDate { get; set; }
    public DateOnly? AccrualEndDate { get; set; }

    public const string Columns =
        "company_id, id, credit_note_id, gross_amount, net_amount, tax_amount, description, tax_code_id, account_id, cost_center_id, " +
        "accrual_template_id, accrual_start_date, accrual_end_date, created_at, updated_at, custom_properties::text AS custom_properties_json";

    public CreditNoteLineModel ToModel(IReadOnlyList<CustomPropertyModel>? customProperties = null) => new(Id, CompanyId, CreditNoteId,
        new(GrossAmount, "C"), new(NetAmount, "C"), Description, TaxCodeId, new(TaxAmount, "C"), AccountId, CostCenterId, CreatedAt, UpdatedAt,
        AccrualTemplateId, AccrualStartDate, AccrualEndDate, null, customProperties ?? []);

    protected override Guid? PostingCostCenterId => CostCenterId;
}
