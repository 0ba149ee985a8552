namespace Ledgerlight.Spend.Expenses;

public sealed class ExpenseRow : TimestampedRow
{
    public Guid UserId { get; set; }
    public string ReceiptDocumentKey { get; set; } = "";
    public string OriginalCurrency { get; set; } = "";
    public string BillingCurrency { get; set; } = "";
    public DateOnly? PerformedDate { get; set; }
    public string Status { get; set; } = "";
    public Guid? ReimbursementId { get; set; }

    public const string Columns =
        "x.company_id, x.id, x.user_id, x.receipt_document_key, x.original_currency, x.billing_currency, x.performed_date, x.status, " +
        "x.reimbursement_id, x.created_at, x.updated_at";

    public static readonly DocumentTable<ExpenseRow> Table = new("expenses", "x", Columns);

    public ExpenseModel ToModel(IReadOnlyList<ExpenseLineRow> lines) => new(Id, ReceiptDocumentKey, OriginalCurrency, BillingCurrency, Status,
        UserId, CompanyId, PerformedDate, lines.Select(l => l.ToModel()).ToList(), CreatedAt, UpdatedAt);
}

public sealed class ExpenseLineRow : TimestampedRow
{
    public Guid ExpenseId { get; set; }
    public long? OriginalAmount { get; set; }
    public long? BillingAmount { get; set; }
    public bool BillingAmountGiven { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? CostCenterId { get; set; }
    public string? Description { get; set; }
    public Guid? ReimbursementCategoryId { get; set; }

    public const string Columns =
        "id, expense_id, original_amount, billing_amount, billing_amount_given, account_id, cost_center_id, description, " +
        "reimbursement_category_id, created_at, updated_at";

    public ExpenseLineModel ToModel() => new(Id, ExpenseId, OriginalAmount, BillingAmount, AccountId, CostCenterId, Description,
        ReimbursementCategoryId, CreatedAt, UpdatedAt);
}

/// <summary>
/// Who may see and change which expense, no database. A user sees and changes their own expenses; a role that
/// manages payables (ADMIN, AP_CLERK) sees and changes everyone's; a company credential with no user behind it
/// reads everything in its company, as every role does, but changes only what its role allows.
/// </summary>
public static class ExpenseAccess
{
    static bool ManagesPayables(Principal p) => Roles.Allows(p.Role, Permissions.Write("payables"));

    public static bool SeesAll(Principal p) => p.UserId is null || ManagesPayables(p);

    public static bool Sees(Principal p, Guid owner) => SeesAll(p) || p.UserId == owner;

    public static bool MayChange(Principal p, Guid owner) => p.UserId == owner || ManagesPayables(p);

    /// <summary>Refuses a change the caller may see but not make (a hidden expense is a 404 before this).</summary>
    public static void EnsureMayChange(Principal p, Guid owner)
    {
        if (!MayChange(p, owner))
            throw Platform.ApiException.Forbidden("Only the expense's own user, or a role that manages payables (ADMIN, AP_CLERK), may change it");
    }
}
