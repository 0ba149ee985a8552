using Ledgerlight.Payables.InvoicePayables;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Payables.Rules;

/// <summary>Who approves which step of a bill's approval, no database.</summary>
public class BillApprovalStepTests
{
    static readonly Guid Alice = Guid.NewGuid(), Bob = Guid.NewGuid(), Carol = Guid.NewGuid();

    static ApprovalStep Step(Guid? user, int priority, string status = ApprovalStatus.Pending, bool named = true) =>
        new(Guid.NewGuid(), user, named, priority, status);

    [Fact]
    public void Named_approvers_approve_their_own_step_lower_priority_first()
    {
        var steps = new[] { Step(Alice, 1), Step(Bob, 2) };
        Assert.Equal(Alice, BillApproval.StepToApprove(steps, Alice).UserId);
        var early = Assert.Throws<ApiException>(() => BillApproval.StepToApprove(steps, Bob));
        Assert.Equal(409, early.Status);
        Assert.Contains("priority 1 must approve first", early.Message);
        Assert.Equal(403, Assert.Throws<ApiException>(() => BillApproval.StepToApprove(steps, Carol)).Status);
        Assert.False(BillApproval.IsLastApproval(steps));
    }

    [Fact]
    public void An_approver_approves_once_and_the_last_approval_completes()
    {
        var steps = new[] { Step(Alice, 1, ApprovalStatus.Approved), Step(Bob, 2) };
        Assert.Equal(409, Assert.Throws<ApiException>(() => BillApproval.StepToApprove(steps, Alice)).Status);
        Assert.Equal(409, Assert.Throws<ApiException>(() => BillApproval.StepToDecline(steps, Alice)).Status);
        Assert.Equal(Bob, BillApproval.StepToApprove(steps, Bob).UserId);
        Assert.True(BillApproval.IsLastApproval(steps));
    }

    [Fact]
    public void Without_named_approvers_anyone_takes_the_open_step_and_a_decline_needs_no_turn()
    {
        var open = Step(null, 1, named: false);
        Assert.Same(open, BillApproval.StepToApprove([open], Carol));
        var named = new[] { Step(Alice, 1), Step(Bob, 2) };
        Assert.Equal(Bob, BillApproval.StepToDecline(named, Bob).UserId);
    }

    [Fact]
    public void A_bill_in_the_company_currency_at_exactly_the_threshold_needs_approval_and_says_why()
    {
        var decision = BillApproval.Decide(new BillApprovalInput(false, 5000, "EUR", 5000, "EUR", 1m));
        Assert.True(decision.NeedsApproval);
        Assert.Equal("its amount is at or above the approval threshold 5000", decision.Reason);
        Assert.False(BillApproval.Decide(new BillApprovalInput(false, 5000, "EUR", 4999, "EUR", 1m)).NeedsApproval);
        Assert.Equal("its vendor has approvers", BillApproval.Decide(new BillApprovalInput(true, null, "EUR", 0, "EUR", 1m)).Reason);
        Assert.True(BillApproval.Decide(new BillApprovalInput(false, 0, "EUR", 0, "EUR", 1m)).NeedsApproval);
    }
}
