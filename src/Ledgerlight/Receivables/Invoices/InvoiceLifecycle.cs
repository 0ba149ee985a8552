namespace Ledgerlight.Receivables.Invoices;

/// <summary>Sales invoice states (Light's invoice receivable states).</summary>
public static class InvoiceStates
{
    public const string Draft = "DRAFT";
    public const string Open = "OPEN";
    public const string PartiallyPaid = "PARTIALLY_PAID";
    public const string Paid = "PAID";
    public const string Archived = "ARCHIVED";
}

/// <summary>What can happen to a sales invoice.</summary>
public enum InvoiceAction { Edit, Open, Reset, Archive, Unarchive, ReceivePayment }

/// <summary>
/// The sales invoice lifecycle: DRAFT → OPEN (posted) → PARTIALLY_PAID → PAID; reset takes an OPEN invoice without payments
/// back to DRAFT; DRAFT or OPEN (without payments) → ARCHIVED → DRAFT. Pure: (state, action) → next state or the refusal.
/// </summary>
public static class InvoiceLifecycle
{
    public static readonly StateMachine<InvoiceAction> Machine = new("Invoice", new Dictionary<InvoiceAction, Transition>
    {
        [InvoiceAction.Edit] = new([InvoiceStates.Draft], null, "edited (reset it to draft first)"),
        [InvoiceAction.Open] = new([InvoiceStates.Draft], InvoiceStates.Open, "opened"),
        [InvoiceAction.Reset] = new([InvoiceStates.Open], InvoiceStates.Draft, "reset to draft"),
        [InvoiceAction.Archive] = new([InvoiceStates.Draft, InvoiceStates.Open], InvoiceStates.Archived, "archived"),
        // Light answers 400 (not 409) when the invoice is not archived (unarchiveInvoiceReceivable's documented 400).
        [InvoiceAction.Unarchive] = new([InvoiceStates.Archived], InvoiceStates.Draft, "unarchived", RefusalStatus: 400),
        // The state after a payment depends on the amounts: AfterClearing.
        [InvoiceAction.ReceivePayment] = new([InvoiceStates.Open, InvoiceStates.PartiallyPaid], null, "paid"),
    });

    /// <summary>The state after <paramref name="action"/>, refusing an invoice with payments for reset and archive (its clearing would dangle).</summary>
    public static string Next(string state, long paidAmount, InvoiceAction action)
    {
        if (action is InvoiceAction.Reset or InvoiceAction.Archive) EnsureNoPayments(state, paidAmount, action == InvoiceAction.Reset ? "reset to draft" : "archived");
        return Machine.Next(state, action);
    }

    public static string Next(string state, InvoiceAction action) => Machine.Next(state, action);

    /// <summary>An invoice with payments (or credits) recorded cannot lose its posting.</summary>
    public static void EnsureNoPayments(string state, long paidAmount, string verb)
    {
        if (state is InvoiceStates.PartiallyPaid or InvoiceStates.Paid || (state == InvoiceStates.Open && paidAmount > 0))
            throw ApiException.Conflict($"Invoice is {state} and has payments recorded; it cannot be {verb}");
    }

    /// <summary>The state once <paramref name="paid"/> of <paramref name="amount"/> is cleared (payments and applied credits): OPEN when nothing is.</summary>
    public static string AfterClearing(long paid, long amount) =>
        paid == 0 ? InvoiceStates.Open : paid >= amount ? InvoiceStates.Paid : InvoiceStates.PartiallyPaid;

    /// <summary>Whether leaving for <paramref name="state"/> drops the opening posting (the invoice is a draft again, or archived).</summary>
    public static bool DropsPosting(string state) => state is InvoiceStates.Draft or InvoiceStates.Archived;
}
