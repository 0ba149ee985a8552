namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>What the approval rule needs to know about one bill and its company.</summary>
/// <param name="RateToCompany">Company currency per bill currency: the rate the bill's posting uses (its group rate).</param>
public sealed record BillApprovalInput(bool VendorHasApprovers, long? Threshold, string CompanyCurrency, long BillAmount,
    string BillCurrency, decimal RateToCompany);

/// <summary>Whether a bill needs approval, and why (for the 409 message).</summary>
public sealed record BillApprovalDecision(bool NeedsApproval, string? Reason);

/// <summary>Statuses of a bill's approval (invoice_approvals) and of each approver's step (invoice_user_approvals).</summary>
public static class ApprovalStatus
{
    public const string InProgress = "IN_PROGRESS";
    public const string Pending = "PENDING";
    public const string Approved = "APPROVED";
    public const string Declined = "DECLINED";
    public const string Cancelled = "CANCELLED";
}

/// <summary>One approver's step as the rules see it.</summary>
public sealed record ApprovalStep(Guid Id, Guid? UserId, bool Named, int Priority, string Status);

/// <summary>
/// How a bill is approved, in one place. A bill needs approval when its vendor names approvers or its
/// amount reaches the company's threshold (<see cref="Decide"/>); otherwise it may be posted straight
/// away. Approving a draft submits it first. With named approvers each approves their own step, lower
/// priority first; without, anyone with the approvals permission approves the one open step. The last
/// approval posts the bill; one decline declines it. The bill approval rule. The company's threshold is in the company currency, so a foreign bill is
/// compared after conversion at the rate its posting uses (a GBP 999.99 bill is about USD 1,300 and
/// needs approval under a USD 1,000 threshold). Rounded to the company currency's minor unit, half
/// away from zero, exactly as the posting rounds; kept in decimal so no amount can overflow here.
/// </summary>
public static class BillApproval
{
    public static BillApprovalDecision Decide(BillApprovalInput input)
    {
        if (input.VendorHasApprovers) return new(true, "its vendor has approvers");
        if (input.Threshold is not { } threshold) return new(false, null);
        var converted = InCompanyCurrency(input.BillAmount, input.BillCurrency, input.CompanyCurrency, input.RateToCompany);
        if (converted < threshold) return new(false, null);
        var sameCurrency = input.BillCurrency == input.CompanyCurrency;
        return new(true, sameCurrency
            ? $"its amount is at or above the approval threshold {threshold}"
            : $"its amount {input.BillAmount} {input.BillCurrency} is {converted} {input.CompanyCurrency} at rate {input.RateToCompany}, " +
              $"at or above the approval threshold {threshold} {input.CompanyCurrency}");
    }

    /// <summary>The bill amount in minor units of the company currency (decimal: no overflow for any int64 amount).</summary>
    public static decimal InCompanyCurrency(long amountMinor, string billCurrency, string companyCurrency, decimal rate)
    {
        if (billCurrency == companyCurrency) return amountMinor;
        try
        {
            var major = Money.ToMajors(amountMinor, billCurrency) * rate;
            var scale = Money.ToMajors(1, companyCurrency); // 0.01 for USD
            return decimal.Round(major / scale, 0, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            return decimal.MaxValue; // beyond any threshold
        }
    }

    /// <summary>
    /// Who may take a bill that needs no approval to the ledger: whoever may post bills (payables:write).
    /// An APPROVER approves bills that need it; "approving" a draft that needs none would be a post.
    /// </summary>
    public static bool MayPost(string role) => Roles.Allows(role, Permissions.Write("payables"));

    /// <summary>
    /// The step <paramref name="identity"/> approves: its own pending step when the vendor names approvers
    /// (403 otherwise), else the open step; 409 when it approved already or a lower priority still waits.
    /// </summary>
    public static ApprovalStep StepToApprove(IReadOnlyList<ApprovalStep> steps, Guid identity)
    {
        if (steps.Any(s => s.UserId == identity && s.Status == ApprovalStatus.Approved))
            throw ApiException.Conflict($"Invoice payable is {BillState.ApprovalPending}; {identity} has already approved it and cannot approve it twice");
        var step = StepFor(steps, identity);
        var waiting = steps.Where(s => s.Status == ApprovalStatus.Pending).Min(s => s.Priority);
        if (step.Priority > waiting)
            throw ApiException.Conflict($"Invoice payable is {BillState.ApprovalPending}; approvers with priority {waiting} must approve first");
        return step;
    }

    /// <summary>The step <paramref name="identity"/> declines (any priority); 409 when it approved already.</summary>
    public static ApprovalStep StepToDecline(IReadOnlyList<ApprovalStep> steps, Guid identity)
    {
        if (steps.Any(s => s.UserId == identity && s.Status == ApprovalStatus.Approved))
            throw ApiException.Conflict($"Invoice payable is {BillState.ApprovalPending}; {identity} has already approved it");
        return StepFor(steps, identity);
    }

    /// <summary>Whether approving one more step completes the approval (every other step is approved).</summary>
    public static bool IsLastApproval(IReadOnlyList<ApprovalStep> steps) => steps.Count(s => s.Status != ApprovalStatus.Approved) == 1;

    /// <summary>The caller's own pending step when the vendor names approvers (403 otherwise); else the open step.</summary>
    static ApprovalStep StepFor(IReadOnlyList<ApprovalStep> steps, Guid identity)
    {
        if (steps.Any(s => s.Named))
            return steps.FirstOrDefault(s => s.Named && s.UserId == identity && s.Status == ApprovalStatus.Pending)
                   ?? throw ApiException.Forbidden($"{identity} is not one of this vendor's pending approvers");
        return steps.First(s => s.Status == ApprovalStatus.Pending);
    }
}
