namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>What can be done to a bill; each is allowed from the states <see cref="BillLifecycle"/> lists.</summary>
public enum BillAction { Edit, ReplaceCustomProperties, Submit, Approve, Decline, Post, Pay, ReverseBankClearing, ReverseCreditNoteClearing, Cancel }

/// <summary>
/// A bill's lifecycle, the one place that says which action is allowed from which state. Header and lines
/// change only before approval or the ledger; approving a draft submits it first; a posted bill is paid
/// (PAID or PARTIALLY_PAID, derived from what is open), and only an UNPAID one may still be cancelled
/// (its AP entry is reversed). Whether a bill needs approval at all is <see cref="BillApproval"/>'s rule.
/// </summary>
public static class BillLifecycle
{
    static readonly string[] Editable = [BillState.InDraft, BillState.Duplicated, BillState.Declined];

    public static readonly StateMachine<BillAction> Machine = new("Invoice payable", new Dictionary<BillAction, Transition>
    {
        [BillAction.Edit] = new(Editable, null, "edited"),
        // Tags such as a reconciliation link may change once the bill has left the inbox, but not while approvers are deciding.
        [BillAction.ReplaceCustomProperties] = new([.. Editable, BillState.ApprovedEntryPending, .. BillState.Posted, BillState.Cancelled], null,
            "given new custom properties"),
        [BillAction.Submit] = new([BillState.InDraft, BillState.Declined], BillState.ApprovalPending, "submitted for approval"),
        // The state after approving depends on whether every step is approved: APPROVAL_PENDING, or posted (UNPAID).
        [BillAction.Approve] = new([BillState.InDraft, BillState.Declined, BillState.ApprovalPending], null, "approved"),
        [BillAction.Decline] = new([BillState.ApprovalPending], BillState.Declined, "declined"),
        [BillAction.Post] = new([BillState.InDraft, BillState.ApprovedEntryPending], BillState.Unpaid, "posted"),
        // PAID or PARTIALLY_PAID: BillState.AfterClearing.
        [BillAction.Pay] = new([BillState.Unpaid, BillState.PartiallyPaid], null, "paid"),
        [BillAction.ReverseBankClearing] = new([BillState.PartiallyPaid, BillState.Paid], null, "have a bank clearing reversed"),
        // A credit note applied at the bill's post leaves it COMPLETED (or UNPAID when partly cleared): its clearing may be reversed too.
        [BillAction.ReverseCreditNoteClearing] = new([.. BillState.Posted], null, "have a credit note clearing reversed"),
        [BillAction.Cancel] = new([.. Editable, BillState.ApprovalPending, BillState.Unpaid], BillState.Cancelled, "cancelled"),
    });

    public static string Next(string state, BillAction action) => Machine.Next(state, action);

    public static void Ensure(string state, BillAction action) => Machine.Ensure(state, action);

    /// <summary>A draft's state once its vendor and invoice number are known: DUPLICATED when another live bill has them.</summary>
    public static string DraftState(Guid? duplicateOf) => duplicateOf is null ? BillState.InDraft : BillState.Duplicated;

    /// <summary>Bills that do not count when looking for a duplicate invoice number.</summary>
    public static readonly string[] NotLive = [BillState.Cancelled, BillState.Duplicated];
}
