using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.InvoicePayables;
using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Payables.Rules;

/// <summary>The payables state machines, no database: which action is allowed from which state, and where it leads.</summary>
public class LifecycleTests
{
    static readonly string[] BillStates =
    [
        BillState.InDraft, BillState.Duplicated, BillState.ApprovalPending, BillState.ApprovedEntryPending, BillState.Declined, BillState.Unpaid,
        BillState.PartiallyPaid, BillState.Paid, BillState.Completed, BillState.Cancelled,
    ];

    [Theory]
    [InlineData(BillAction.Edit, "IN_DRAFT,DUPLICATED,DECLINED")]
    [InlineData(BillAction.ReplaceCustomProperties, "IN_DRAFT,DUPLICATED,DECLINED,APPROVED_ACCOUNTING_ENTRY_PENDING,UNPAID,PARTIALLY_PAID,PAID,COMPLETED,CANCELLED")]
    [InlineData(BillAction.Submit, "IN_DRAFT,DECLINED")]
    [InlineData(BillAction.Approve, "IN_DRAFT,DECLINED,APPROVAL_PENDING")]
    [InlineData(BillAction.Decline, "APPROVAL_PENDING")]
    [InlineData(BillAction.Post, "IN_DRAFT,APPROVED_ACCOUNTING_ENTRY_PENDING")]
    [InlineData(BillAction.Pay, "UNPAID,PARTIALLY_PAID")]
    [InlineData(BillAction.ReverseBankClearing, "PARTIALLY_PAID,PAID")]
    [InlineData(BillAction.ReverseCreditNoteClearing, "UNPAID,PARTIALLY_PAID,PAID,COMPLETED")]
    [InlineData(BillAction.Cancel, "IN_DRAFT,DUPLICATED,DECLINED,APPROVAL_PENDING,UNPAID")]
    public void Each_bill_action_is_allowed_exactly_from_its_states_and_refused_with_409_elsewhere(BillAction action, string allowed)
    {
        var from = allowed.Split(',');
        foreach (var state in BillStates)
        {
            if (from.Contains(state))
            {
                BillLifecycle.Ensure(state, action);
                continue;
            }
            var refused = Assert.Throws<ApiException>(() => BillLifecycle.Next(state, action));
            Assert.Equal(409, refused.Status);
            Assert.StartsWith($"Invoice payable is {state}; only ", refused.Message);
        }
    }

    [Fact]
    public void Bill_transitions_lead_where_the_workflow_says()
    {
        Assert.Equal(BillState.ApprovalPending, BillLifecycle.Next(BillState.Declined, BillAction.Submit));
        Assert.Equal(BillState.Declined, BillLifecycle.Next(BillState.ApprovalPending, BillAction.Decline));
        Assert.Equal(BillState.Unpaid, BillLifecycle.Next(BillState.ApprovedEntryPending, BillAction.Post));
        Assert.Equal(BillState.Cancelled, BillLifecycle.Next(BillState.Unpaid, BillAction.Cancel));
        // Actions whose result depends on more than the state keep it; the caller derives the next one.
        Assert.Equal(BillState.PartiallyPaid, BillLifecycle.Next(BillState.PartiallyPaid, BillAction.Pay));
        Assert.Equal(BillState.InDraft, BillLifecycle.DraftState(null));
        Assert.Equal(BillState.Duplicated, BillLifecycle.DraftState(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(1000, 0, true, BillState.Paid)]
    [InlineData(1000, 0, false, BillState.Completed)]
    [InlineData(1000, 400, true, BillState.PartiallyPaid)]
    [InlineData(1000, 1000, false, BillState.Unpaid)]
    public void After_a_clearing_the_bill_state_follows_what_is_open(long amount, long outstanding, bool bank, string expected) =>
        Assert.Equal(expected, BillState.AfterClearing(amount, outstanding, bank));

    [Fact]
    public void Credit_notes_are_edited_and_posted_as_drafts_linked_while_open_and_archived_once()
    {
        Assert.Equal(CreditNoteStatus.Posted, CreditNoteLifecycle.Next(CreditNoteStatus.Draft, CreditNoteAction.Post));
        CreditNoteLifecycle.Ensure(CreditNoteStatus.PartiallyCleared, CreditNoteAction.Link);
        Assert.Equal(409, Assert.Throws<ApiException>(() => CreditNoteLifecycle.Ensure(CreditNoteStatus.Cleared, CreditNoteAction.Link)).Status);
        Assert.Equal(409, Assert.Throws<ApiException>(() => CreditNoteLifecycle.Ensure(CreditNoteStatus.Posted, CreditNoteAction.Edit)).Status);
        Assert.Equal(CreditNoteStatus.Archived, CreditNoteLifecycle.Next(CreditNoteStatus.Cleared, CreditNoteAction.Archive));
        var again = Assert.Throws<ApiException>(() => CreditNoteLifecycle.Next(CreditNoteStatus.Archived, CreditNoteAction.Archive));
        Assert.StartsWith("Credit note is ARCHIVED; only a DRAFT", again.Message);
        Assert.Equal(CreditNoteStatus.PartiallyCleared, CreditNoteStatus.AfterClearing(100, 40));
        Assert.Equal(CreditNoteStatus.Cleared, CreditNoteStatus.AfterClearing(100, 100));
        Assert.Equal(CreditNoteStatus.Posted, CreditNoteStatus.AfterClearing(100, 0));
    }

    [Fact]
    public void Purchase_orders_lock_close_cancel_and_reset_and_only_open_ones_are_billed()
    {
        Assert.Equal(PurchaseOrderState.Open, PurchaseOrderLifecycle.Next(PurchaseOrderState.InDraft, PurchaseOrderAction.Lock));
        Assert.Equal(PurchaseOrderState.Closed, PurchaseOrderLifecycle.Next(PurchaseOrderState.Open, PurchaseOrderAction.Close));
        Assert.Equal(PurchaseOrderState.Cancelled, PurchaseOrderLifecycle.Next(PurchaseOrderState.InDraft, PurchaseOrderAction.Cancel));
        Assert.Equal(PurchaseOrderState.InDraft, PurchaseOrderLifecycle.Next(PurchaseOrderState.Closed, PurchaseOrderAction.Reset));
        Assert.Equal(409, Assert.Throws<ApiException>(() => PurchaseOrderLifecycle.Next(PurchaseOrderState.Cancelled, PurchaseOrderAction.Reset)).Status);
        Assert.Equal(409, Assert.Throws<ApiException>(() => PurchaseOrderLifecycle.Ensure(PurchaseOrderState.Open, PurchaseOrderAction.Edit)).Status);
        var draft = Assert.Throws<ApiException>(() => PurchaseOrderLifecycle.Ensure(PurchaseOrderState.InDraft, PurchaseOrderAction.Bill));
        Assert.Contains("IN_DRAFT", draft.Message);
        PurchaseOrderLifecycle.CheckCancel(PurchaseOrderState.Open, 0);
        Assert.Equal(409, Assert.Throws<ApiException>(() => PurchaseOrderLifecycle.CheckCancel(PurchaseOrderState.Open, 1)).Status);
        Assert.Equal("locked_at = NULL, closed_at = NULL", PurchaseOrderLifecycle.Timestamps(PurchaseOrderAction.Reset));
    }
}
