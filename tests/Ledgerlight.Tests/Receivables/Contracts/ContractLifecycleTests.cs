using Ledgerlight.Platform;
using Ledgerlight.Receivables.Contracts;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Contracts;

/// <summary>The contract state machine, without a database.</summary>
public class ContractLifecycleTests
{
    [Theory]
    [InlineData("CREATED", ContractAction.Publish, "ACTIVE")]
    [InlineData("DRAFT", ContractAction.Publish, "ACTIVE")]
    [InlineData("ACTIVE", ContractAction.Renew, "ACTIVE")]
    [InlineData("PENDING_TERMINATION", ContractAction.CancelTermination, "ACTIVE")]
    [InlineData("ACTIVE", ContractAction.Reset, "CREATED")]
    [InlineData("DRAFT", ContractAction.Reset, "CREATED")]
    [InlineData("CREATED", ContractAction.Delete, "CREATED")]
    [InlineData("ACTIVE", ContractAction.Edit, "ACTIVE")]
    public void Allowed_actions_lead_to_their_state(string from, ContractAction action, string expected) =>
        Assert.Equal(expected, ContractLifecycle.Next(from, action));

    [Theory]
    [InlineData("ACTIVE", ContractAction.Publish)]
    [InlineData("ACTIVE", ContractAction.Delete)]
    [InlineData("PENDING_TERMINATION", ContractAction.Edit)]
    [InlineData("TERMINATED", ContractAction.Terminate)]
    [InlineData("ACTIVE", ContractAction.CancelTermination)]
    [InlineData("CREATED", ContractAction.Renew)]
    [InlineData("TERMINATED", ContractAction.Reset)]
    public void Refusals_are_conflicts_naming_the_state(string from, ContractAction action)
    {
        var e = Assert.Throws<ApiException>(() => ContractLifecycle.Next(from, action));
        Assert.Equal(409, e.Status);
        Assert.Contains(from, e.Message);
    }

    [Fact]
    public void A_termination_today_or_earlier_terminates_now_and_a_later_one_is_scheduled()
    {
        var today = new DateOnly(2026, 3, 10);
        Assert.Equal("TERMINATED", ContractLifecycle.AfterTermination(today, today));
        Assert.Equal("TERMINATED", ContractLifecycle.AfterTermination(today.AddDays(-1), today));
        Assert.Equal("PENDING_TERMINATION", ContractLifecycle.AfterTermination(today.AddDays(1), today));
    }
}
