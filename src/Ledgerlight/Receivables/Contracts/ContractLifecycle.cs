namespace Ledgerlight.Receivables.Contracts;

/// <summary>Contract states.</summary>
public static class ContractStates
{
    public const string Created = "CREATED";
    public const string Draft = "DRAFT";
    public const string Active = "ACTIVE";
    public const string PendingTermination = "PENDING_TERMINATION";
    public const string Terminated = "TERMINATED";

    /// <summary>States whose contract produces invoices (a terminated one only for periods up to its end).</summary>
    public static readonly string[] Billable = [Active, PendingTermination, Terminated];
}

/// <summary>What can happen to a contract.</summary>
public enum ContractAction { Edit, Delete, Publish, Renew, Terminate, CancelTermination, Reset }

/// <summary>
/// The contract lifecycle: CREATED (or DRAFT) → ACTIVE (publish) → PENDING_TERMINATION (terminate with a future date)
/// → TERMINATED; cancel-termination returns to ACTIVE; reset returns an ACTIVE or DRAFT contract to CREATED.
/// Pure: (state, action) → next state or the refusal.
/// </summary>
public static class ContractLifecycle
{
    public static readonly StateMachine<ContractAction> Machine = new("Contract", new Dictionary<ContractAction, Transition>
    {
        // Header and line edits: not once termination is scheduled or done.
        [ContractAction.Edit] = new([ContractStates.Created, ContractStates.Draft, ContractStates.Active], null, "edited"),
        [ContractAction.Delete] = new([ContractStates.Created], null, "deleted (reset it first)"),
        [ContractAction.Publish] = new([ContractStates.Created, ContractStates.Draft], ContractStates.Active, "published"),
        [ContractAction.Renew] = new([ContractStates.Active], null, "renewed"),
        // The state after a termination depends on its date: AfterTermination.
        [ContractAction.Terminate] = new([ContractStates.Active, ContractStates.PendingTermination], null, "terminated"),
        [ContractAction.CancelTermination] = new([ContractStates.PendingTermination], ContractStates.Active, "have its termination cancelled"),
        [ContractAction.Reset] = new([ContractStates.Active, ContractStates.Draft], ContractStates.Created, "reset to CREATED"),
    });

    public static string Next(string state, ContractAction action) => Machine.Next(state, action);

    /// <summary>A termination dated today or earlier terminates now; a later one is scheduled.</summary>
    public static string AfterTermination(DateOnly terminationDate, DateOnly today) =>
        terminationDate <= today ? ContractStates.Terminated : ContractStates.PendingTermination;
}
