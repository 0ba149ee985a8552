namespace Ledgerlight.Spend.Expenses;

/// <summary>
/// Expense states: Light's four plus PENDING_UPLOAD, Ledgerlight's own for an expense whose upload URL was
/// handed out but whose receipt has not arrived; such an expense is never shown (Light has no such state).
/// </summary>
public static class ExpenseState
{
    public const string PendingUpload = "PENDING_UPLOAD";
    public const string Created = "CREATED";
    public const string InDraft = "IN_DRAFT";
    public const string Submitted = "SUBMITTED_FOR_REVIEW";
    public const string Cancelled = "CANCELLED";

    /// <summary>Expenses a submit gathers: uploaded, not yet submitted, not cancelled.</summary>
    public static readonly string[] Pending = [Created, InDraft];
}

public enum ExpenseAction { Activate, Edit, Submit, Cancel, Return }

/// <summary>
/// An expense's lifecycle: the receipt's arrival makes it CREATED, any edit IN_DRAFT; a submit hands every
/// pending expense to one reimbursement (SUBMITTED_FOR_REVIEW: the reimbursement's bill carries the rest, and a
/// cancelled bill returns them IN_DRAFT to be corrected and submitted again); cancelling is possible until submitted.
/// </summary>
public static class ExpenseLifecycle
{
    public static readonly StateMachine<ExpenseAction> Machine = new("Expense", new Dictionary<ExpenseAction, Transition>
    {
        [ExpenseAction.Activate] = new([ExpenseState.PendingUpload], ExpenseState.Created, "activated"),
        [ExpenseAction.Edit] = new(ExpenseState.Pending, ExpenseState.InDraft, "edited"),
        [ExpenseAction.Submit] = new(ExpenseState.Pending, ExpenseState.Submitted, "submitted"),
        [ExpenseAction.Cancel] = new(ExpenseState.Pending, ExpenseState.Cancelled, "cancelled"),
        // The reimbursement's bill was cancelled: it will never be paid, so its expenses go back to their owner.
        [ExpenseAction.Return] = new([ExpenseState.Submitted], ExpenseState.InDraft, "returned"),
    });

    /// <summary>
    /// Bill states that end a reimbursement unpaid for good and return its expenses. Only CANCELLED: a DECLINED bill can
    /// still be corrected and approved, so its expenses stay with it (returning them could pay them twice).
    /// </summary>
    public static readonly string[] ReturningBillStates = [Payables.InvoicePayables.BillState.Cancelled];

    public static string Next(string state, ExpenseAction action) => Machine.Next(state, action);
}

/// <summary>Amount conversion, no database: a line's billing amount in the user's reimbursement currency.</summary>
public static class ExpenseConversion
{
    /// <summary>
    /// The billing amount a line shows: the one the caller gave, else the original amount (same currency), else the original
    /// converted at <paramref name="rate"/> (original → billing, the ECB rate of the performed date). Null when nothing can be said yet
    /// (no original amount, or a foreign currency with no date or no rate).
    /// </summary>
    public static long? Billing(long? original, long? given, string originalCurrency, string billingCurrency, decimal? rate)
    {
        if (given is not null) return given;
        if (original is not { } amount) return null;
        if (originalCurrency == billingCurrency) return amount;
        return rate is { } r ? Money.Convert(amount, originalCurrency, billingCurrency, r) : null;
    }

    /// <summary>Whether a rate is needed to derive billing amounts: foreign currency only.</summary>
    public static bool NeedsRate(string originalCurrency, string billingCurrency) => originalCurrency != billingCurrency;
}

/// <summary>A reimbursement's status follows its bill (derived on read, so nothing in Payables has to tell it).</summary>
public static class ReimbursementStatus
{
    public const string InProgress = "IN_PROGRESS";
    public const string Succeeded = "SUCCEEDED";
    public const string Rejected = "REJECTED";
    public const string Failed = "FAILED";
    public const string Reset = "RESET";

    /// <summary>
    /// PAID or COMPLETED (settled) → SUCCEEDED; DECLINED by an approver → REJECTED; CANCELLED → FAILED (it will not be paid);
    /// RESET_PENDING → RESET; every other state is still on its way → IN_PROGRESS. Without a bill the stored status stands.
    /// </summary>
    public static string Of(string? billState, string stored) => billState switch
    {
        null => stored,
        "PAID" or "COMPLETED" => Succeeded,
        "DECLINED" => Rejected,
        "CANCELLED" => Failed,
        "RESET_PENDING" => Reset,
        _ => InProgress,
    };
}

// ---- Requests ----

public sealed record ExpenseUploadUrlRequest(string? Filename, string? ContentType);

public sealed record UpdateExpenseRequest(string? OriginalCurrency, DateOnly? PerformedDate);

/// <summary>CreateExpenseLineItemRequestV1Model and UpdateExpenseLineItemRequestV1Model (the same fields).</summary>
public sealed record ExpenseLineRequest(
    long? OriginalAmount, long? BillingAmount, Guid? AccountId, Guid? CostCenterId, string? Description, Guid? ReimbursementCategoryId);

public static class ExpenseRules
{
    public static void CheckLine(ExpenseLineRequest r, Validation v)
    {
        v.Amount(r.OriginalAmount, "originalAmount");
        v.Amount(r.BillingAmount, "billingAmount");
        v.MaxLength(r.Description, 1000, "description");
    }

    public static void CheckHeader(UpdateExpenseRequest r, Validation v)
    {
        v.Currency(r.OriginalCurrency, "originalCurrency");
    }
}

// ---- Responses (Light's models) ----

public sealed record ExpenseLineModel(
    Guid Id, Guid ExpenseId, long? OriginalAmount, long? BillingAmount, Guid? AccountId, Guid? CostCenterId, string? Description,
    Guid? ReimbursementCategoryId, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ExpenseModel(
    Guid Id, string ReceiptDocumentKey, string OriginalCurrency, string BillingCurrency, string Status, Guid UserId, Guid CompanyId,
    DateOnly? PerformedDate, IReadOnlyList<ExpenseLineModel> LineItems, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>GetExternalExpensesResponseV1Model: the page plus the billing total of every expense the filter selects.</summary>
public sealed record ExpensePageModel(
    long BillingAmountTotal, IReadOnlyList<ExpenseModel> Records, bool HasMore, long? Total, string? NextCursor, string? PrevCursor);

public sealed record ExpenseUploadUrlModel(string UploadUrl, string Key, IReadOnlyDictionary<string, string>? Metadata);
