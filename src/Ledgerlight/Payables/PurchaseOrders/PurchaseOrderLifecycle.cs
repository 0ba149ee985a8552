namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>
/// A purchase order's lifecycle, synchronous (Light's *_PENDING states are its asynchronous steps; here each
/// step completes in its transaction): lock IN_DRAFT → OPEN; close OPEN → CLOSED; cancel IN_DRAFT|OPEN →
/// CANCELLED; reset OPEN|CLOSED → IN_DRAFT. Only drafts are edited, only OPEN orders are billed against.
/// </summary>
public static class PurchaseOrderLifecycle
{
    public static readonly StateMachine<PurchaseOrderAction> Machine = new("Purchase order", new Dictionary<PurchaseOrderAction, Transition>
    {
        [PurchaseOrderAction.Lock] = new([PurchaseOrderState.InDraft], PurchaseOrderState.Open, "locked"),
        [PurchaseOrderAction.Close] = new([PurchaseOrderState.Open], PurchaseOrderState.Closed, "closed"),
        [PurchaseOrderAction.Cancel] = new([PurchaseOrderState.InDraft, PurchaseOrderState.Open], PurchaseOrderState.Cancelled, "cancelled"),
        [PurchaseOrderAction.Reset] = new([PurchaseOrderState.Open, PurchaseOrderState.Closed], PurchaseOrderState.InDraft, "reset"),
        // Edits keep the state: reset an order to edit it again.
        [PurchaseOrderAction.Edit] = new([PurchaseOrderState.InDraft], null, "edited (reset it first)"),
        [PurchaseOrderAction.Bill] = new([PurchaseOrderState.Open], null, "matched to bills"),
    });

    public static string Next(string state, PurchaseOrderAction action) => Machine.Next(state, action);

    public static void Ensure(string state, PurchaseOrderAction action) => Machine.Ensure(state, action);

    /// <summary>The timestamps a transition sets (reset clears the lock and close times).</summary>
    public static string Timestamps(PurchaseOrderAction action) => action switch
    {
        PurchaseOrderAction.Lock => "locked_at = @now",
        PurchaseOrderAction.Close => "closed_at = @now",
        PurchaseOrderAction.Cancel => "cancelled_at = @now",
        PurchaseOrderAction.Reset => "locked_at = NULL, closed_at = NULL",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a transition"),
    };

    /// <summary>An order bills have matched is closed, not cancelled.</summary>
    public static void CheckCancel(string state, long billedAmount)
    {
        if (billedAmount > 0)
            throw Platform.ApiException.Conflict($"Purchase order is {state} and bills have matched {billedAmount} of it; close it instead of cancelling");
    }
}
