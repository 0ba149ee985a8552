using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>What the approval rule needs to know about one bill and its company.</summary>
/// <param name="RateToCompany">Company currency per bill currency: the rate the bill's posting uses (its group rate).</param>
public sealed record BillApprovalInput(bool VendorHasApprovers, long? Threshold, string CompanyCurrency, long BillAmount,
    string BillCurrency, decimal RateToCompany);

/// <summary>Whether a bill needs approval, and why (for the 409 message).</summary>
public sealed record BillApprovalDecision(bool NeedsApproval, string? Reason);

/// <summary>
/// The bill approval rule. The company's threshold is in the company currency, so a foreign bill is
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
}
