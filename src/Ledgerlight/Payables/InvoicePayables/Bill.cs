using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>Bill states (Light's list plus UNPAID from the operation texts); which action each allows is <see cref="BillLifecycle"/>.</summary>
public static class BillState
{
    public const string InDraft = "IN_DRAFT";
    public const string Duplicated = "DUPLICATED";
    public const string ApprovalPending = "APPROVAL_PENDING";
    public const string ApprovedEntryPending = "APPROVED_ACCOUNTING_ENTRY_PENDING";
    public const string Declined = "DECLINED";
    public const string Unpaid = "UNPAID";
    public const string PartiallyPaid = "PARTIALLY_PAID";
    public const string Paid = "PAID";
    public const string Completed = "COMPLETED";
    public const string Cancelled = "CANCELLED";

    /// <summary>States in which the bill is in the ledger (its AP entry stands).</summary>
    public static readonly IReadOnlySet<string> Posted = new HashSet<string> { Unpaid, PartiallyPaid, Paid, Completed };

    /// <summary>
    /// After a clearing or its reversal: cleared in full, partly, or not at all. Cleared in full is PAID when a bank payment
    /// is among the clearings, and COMPLETED when credit notes alone cleared it (as posting with linked notes does).
    /// </summary>
    public static string AfterClearing(long amount, long outstanding, bool anyBankPayment) =>
        outstanding == 0 ? (anyBankPayment ? Paid : Completed) : outstanding == amount ? Unpaid : PartiallyPaid;
}

/// <summary>A bill's type: a vendor's invoice, or a reimbursement of a user's expenses (no vendor; owed on the REIMBURSEMENTS account).</summary>
public static class BillType
{
    public const string VendorInvoice = "VENDOR_INVOICE";
    public const string Reimbursement = "REIMBURSEMENT";

    /// <summary>The system account the bill is owed on: accounts payable, or employee reimbursements payable.</summary>
    public static string PayableAccountRole(string type) => type == Reimbursement ? "REIMBURSEMENTS" : "AP";

    /// <summary>A vendor invoice needs its vendor to be posted; a reimbursement is owed to a user instead.</summary>
    public static bool NeedsVendor(string type) => type != Reimbursement;
}

/// <summary>Who else creates a bill: its type, and a step run inside the creating transaction (given the new bill's id).</summary>
public sealed record BillOrigin(string Type, Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, Guid, Task>? Within);

/// <summary>Line amount rules: which amount the caller gives, tax from the request or the tax code, per-line rounding.</summary>
public static class BillLineRules
{
    /// <summary>
    /// With lineItemsIncludeTax the gross <c>amount</c> is given, otherwise <c>netAmount</c> (the other one is
    /// accepted as a fallback). Tax is <c>taxAmount</c> when given, else derived from the tax code's rate.
    /// </summary>
    public static EnteredAmounts? Compute(long? amount, long? netAmount, long? taxAmount, decimal? ratePercent, bool includeTax,
        Validation v, params object[] path) =>
        LineMath.FromEntered(amount, netAmount, taxAmount, ratePercent, includeTax,
            new EnteredAmountPaths([.. path, "amount"], [.. path, "netAmount"], [.. path, "taxAmount"]), v);

    /// <summary>What a line item can be checked for without the database (run over the whole body first).</summary>
    public static void CheckShape(BillLineRequest r, Validation v, params object[] path)
    {
        v.Amount(r.Amount, [.. path, "amount"]);
        v.Amount(r.NetAmount, [.. path, "netAmount"]);
        v.Amount(r.TaxAmount, [.. path, "taxAmount"]);
        v.MaxLength(r.Description, 1000, [.. path, "description"]);
    }
}

// ---- Requests ----

public sealed record BillLineRequest(
    long? Amount, long? NetAmount, long? TaxAmount, string? Description, Guid? TaxCodeId, Guid? AccountId,
    DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate, Guid? AmortizationTemplateId,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

public sealed record CreateBillRequest(
    Guid? VendorId, long? Amount, string? Currency, string? ProcessingMode, Guid? CompanyEntityId, string? InvoiceNumber,
    string? Description, DateOnly? IssuedDate, DateOnly? DueDate, DateTime? PaymentAt, Guid? SenderBankAccountId,
    bool? LineItemsIncludeTax, IReadOnlyList<BillLineRequest>? LineItems, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties,
    decimal? LocalCurrencyFxRateOverride, decimal? GroupCurrencyFxRateOverride);

public sealed record UpdateBillRequest(
    Guid? VendorId, Guid? CompanyEntityId, string? InvoiceNumber, long? Amount, string? Currency, string? Description,
    Guid? SenderBankAccountId, string? FiNumber, string? NorKidReference, string? SwissPaymentReference, DateTime? PaymentAt,
    DateOnly? IssuedDate, DateOnly? DueDate, string? ApprovalNote, Guid? PurchaseOrderId, bool? LineItemsIncludeTax,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, decimal? LocalCurrencyFxRateOverride, decimal? GroupCurrencyFxRateOverride);

public sealed record NoteRequest(string? Note);
public sealed record CancelRequest(string? Reason);
public sealed record SubmitRequest(bool? ClosePurchaseOrder);
public sealed record MarkAsPaidRequest(long? Amount, Guid? BankAccountId, DateTime? PaymentAt, string? Comment, string? PaymentOption);
public sealed record ReverseClearingRequest(Guid? ClearingAccountingDocumentId, string? ClearingType, bool? ShouldArchiveClearingDocument);
public sealed record ApproverRequest(Guid? UserId, int? Priority);
public sealed record VendorApproversRequest(IReadOnlyList<ApproverRequest>? Approvers);
public sealed record ApprovalRuleRequest(long? AmountThreshold);

// ---- Responses (Light's models) ----

public sealed record TypeModel(string Type);

/// <summary>ExternalReimbursementLineItemMetadataV1Model: the expense a reimbursement bill's line pays.</summary>
public sealed record ReimbursementLineMetadataModel(string Type, Guid? ExpenseId, Guid? ReimbursementCategoryId, DateOnly? PerformedDate,
    long? OriginalAmount, string? OriginalCurrency);

/// <summary>ExternalReimbursementInvoicePayableMetadataV1Model: a reimbursement bill's metadata names its reimbursement and user.</summary>
public sealed record ReimbursementMetadataModel(string Type, Guid? ReimbursementId, Guid? UserId);

public sealed record FieldErrorModel(string Type, string ClientMessage, string Message, IReadOnlyList<object>? Path, IReadOnlyDictionary<string, object?>? Context);
public sealed record UiExceptionModel(string Name, string Type, string Message, IReadOnlyList<FieldErrorModel> Errors);

public sealed record BillLineModel(
    Guid Id, Guid InvoicePayableId, string Type, object Metadata, long Amount, long NetAmount, string? Description, Guid? TaxCodeId,
    long TaxAmount, Guid AccountId, DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate, Guid? AmortizationTemplateId,
    IReadOnlyList<object> AiValueSuggestions, IReadOnlyList<object> CustomProperties, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record BillModel(
    Guid Id, string Type, object Metadata, Guid InvoicePayableId, Guid CompanyId, string State, string? FailureReason,
    UiExceptionModel? FailureContext, string? ApprovalNote, string? CancellationReason, Guid? VendorId, Guid? CompanyEntityId,
    string? InvoiceNumber, long? Amount, long? OutstandingBalance, string Currency, string? Description, Guid? SenderBankAccountId,
    string? FiNumber, string? NorKidReference, string? SwissPaymentReference, DateTime? PaymentAt, DateTime? OcrCompletedAt,
    DateTime? CanceledAt, DateOnly? IssuedDate, DateOnly? DueDate, DateTime InvoiceCreatedAt, DateTime UpdatedAt, Guid? PurchaseOrderId,
    bool LineItemsIncludeTax, decimal? LocalCurrencyFxRate, decimal? GroupCurrencyFxRate, IReadOnlyList<BillLineModel> LineItems,
    IReadOnlyList<object> CustomProperties, string? SenderEmail,
    // Ledgerlight additions (Light's schema allows extra fields): the ledger document number and processing mode.
    string? DocumentNumber, string ProcessingMode);

public sealed record BffVendorModel(Guid? VendorId, string? VatId, Guid? VendorAccountId, Guid? VendorTaxCodeId, string? VendorName,
    string? VendorEmail, string? VendorCountry, string? VendorCurrency);

public sealed record BffBillModel(
    Guid Id, string Type, object Metadata, Guid CompanyId, string? FailureReason, string State, int Version, string? ApprovalNote,
    string? InvoiceNumber, Guid CompanyEntityId, string? CompanyEntityName, long? Amount, string Currency, DateOnly? IssuedDate,
    DateOnly? DueDate, DateTime? PaymentAt, DateTime? CanceledAt, string? Description, Guid? SenderBankAccountId,
    string? CancellationReason, string? SenderEmail, BffVendorModel? Vendor, DateTime CreatedAt, DateTime UpdatedAt,
    Organization.Users.Reimbursements.ReimbursementModel? Reimbursement = null, NextApproverModel? NextApprover = null);

/// <summary>ExternalNextApproverV1Model: the approver a pending bill waits for, and when the approval was requested.</summary>
public sealed record NextApproverModel(Guid UserId, string? FirstName, string? LastName, string FullName, DateTime ApprovalSentAt);

public sealed record PaymentEntryModel(string Type, Guid AccountingDocumentId, string DocumentNumber);

public sealed record BillPaymentModel(Guid Id, Guid InvoicePayableId, long Amount, string Currency, DateOnly PaymentDate,
    PaymentEntryModel Payment, Guid AccountingDocumentId, Guid? BankAccountId, string? Comment, DateTime CreatedAt);

public sealed record UserApprovalModel(Guid Id, Guid ApprovalId, Guid? UserId, int Priority, string Status, string? Note,
    DateTime? CompletedAt, DateTime UpdatedAt, DateTime CreatedAt);

public sealed record ApprovalModel(Guid Id, Guid CompanyId, Guid InvoicePayableId, string? InvoiceNumber, long InvoiceAmount,
    string InvoiceCurrency, DateOnly? InvoiceIssuedDate, DateOnly? InvoiceDueDate, IReadOnlyList<UserApprovalModel> UserApprovals,
    string? Note, string Status, DateTime? CompletedAt, DateTime UpdatedAt, DateTime CreatedAt);

public sealed record ApprovalRuleModel(Guid CompanyId, long? AmountThreshold, DateTime? UpdatedAt);
