using Xunit;
using Ledgerlight.Documents.Kernel;
using Ledgerlight.Platform;

namespace Ledgerlight.Tests.Documents.Kernel;

public sealed class StateMachineTests
{
    enum Action { Open, Edit, Unarchive }

    static readonly StateMachine<Action> Machine = new("Invoice", new Dictionary<Action, Transition>
    {
        [Action.Open] = new(["DRAFT"], "OPEN", "opened"),
        [Action.Edit] = new(["DRAFT"], null, "edited"),
        [Action.Unarchive] = new(["ARCHIVED"], "DRAFT", "unarchived", RefusalStatus: 400),
    });

    [Fact]
    public void An_allowed_action_leads_to_its_state_and_an_edit_keeps_the_state()
    {
        Assert.Equal("OPEN", Machine.Next("DRAFT", Action.Open));
        Assert.Equal("DRAFT", Machine.Next("DRAFT", Action.Edit));
        Assert.True(Machine.Allows("DRAFT", Action.Open));
        Assert.False(Machine.Allows("OPEN", Action.Open));
    }

    [Fact]
    public void A_refusal_names_the_current_state_and_the_allowed_ones_with_the_documented_status()
    {
        var conflict = Assert.Throws<ApiException>(() => Machine.Next("OPEN", Action.Open));
        Assert.Equal(409, conflict.Status);
        Assert.Equal("Invoice is OPEN; only a DRAFT invoice can be opened", conflict.Message);
        var badRequest = Assert.Throws<ApiException>(() => Machine.Ensure("DRAFT", Action.Unarchive));
        Assert.Equal(400, badRequest.Status);
        Assert.Contains("only an ARCHIVED invoice", badRequest.Message);
    }

    [Fact]
    public void Every_action_needs_a_transition()
    {
        Assert.Throws<ArgumentException>(() => new StateMachine<Action>("Invoice", new Dictionary<Action, Transition>
        {
            [Action.Open] = new(["DRAFT"], "OPEN", "opened"),
        }));
    }
}
