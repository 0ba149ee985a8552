using Ledgerlight.Payables.InvoicePayables;
using Xunit;

namespace Ledgerlight.Tests.Payables;

/// <summary>The pure approval rule: threshold in the company currency, at the bill's posting rate.</summary>
public class BillApprovalRuleTests
{
    static BillApprovalDecision Decide(long amount, string currency, decimal rate, long? threshold = 100000, bool approvers = false) =>
        BillApproval.Decide(new BillApprovalInput(approvers, threshold, "USD", amount, currency, rate));

    [Fact]
    public void A_pound_bill_under_the_dollar_threshold_in_pounds_needs_approval_once_converted()
    {
        var decision = Decide(99999, "GBP", 1.34m); // GBP 999.99 = USD 1,339.99
        Assert.True(decision.NeedsApproval);
        Assert.Contains("133999 USD", decision.Reason);
        Assert.False(Decide(74626, "GBP", 1.34m).NeedsApproval); // USD 999.99 (rounded half away from zero)
        Assert.True(Decide(74627, "GBP", 1.34m).NeedsApproval);  // USD 1,000.00: at the threshold
    }

    [Fact]
    public void Minor_units_follow_each_currency_and_same_currency_compares_directly()
    {
        Assert.False(Decide(99999, "USD", 1m).NeedsApproval);
        Assert.True(Decide(100000, "USD", 1m).NeedsApproval);
        Assert.True(Decide(157540, "JPY", 0.006348m).NeedsApproval);   // ¥157,540 ≈ USD 1,000.06
        Assert.False(Decide(157000, "JPY", 0.006348m).NeedsApproval);  // ≈ USD 996.64
        Assert.Equal(100006m, BillApproval.InCompanyCurrency(157540, "JPY", "USD", 0.006348m));
    }

    [Fact]
    public void Vendor_approvers_always_and_no_threshold_never_and_no_overflow()
    {
        Assert.True(Decide(1, "USD", 1m, approvers: true).NeedsApproval);
        Assert.False(Decide(long.MaxValue, "GBP", 1.34m, threshold: null).NeedsApproval);
        Assert.True(Decide(long.MaxValue, "JPY", 1_000_000_000m).NeedsApproval);
    }

    [Theory]
    [InlineData("ADMIN", true)]
    [InlineData("AP_CLERK", true)]
    [InlineData("APPROVER", false)]
    [InlineData("AR_CLERK", false)]
    [InlineData("ACCOUNTANT", false)]
    [InlineData("VIEWER", false)]
    public void Only_roles_that_write_payables_may_post(string role, bool mayPost) => Assert.Equal(mayPost, BillApproval.MayPost(role));
}
