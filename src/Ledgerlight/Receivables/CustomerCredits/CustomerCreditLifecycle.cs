namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>Customer credit statuses (Light's accounting-document statuses).</summary>
public static class CustomerCreditStates
{
    public const string Draft = "DRAFT";
    public const string Posted = "POSTED";
    public const string PartiallyCleared = "PARTIALLY_CLEARED";
    public const string Cleared = "CLEARED";
    public const string Archived = "ARCHIVED";

    /// <summary>Recorded on submit-einvoice: the request is kept, nothing is sent (no e-invoicing network is connected).</summary>
    public const string EInvoiceNotConnected = "NOT_SUBMITTED_NO_EINVOICING_NETWORK";

    /// <summary>How much to apply: the requested amount, or what is open on both sides; over either side is a 422 at "amount".</summary>
    public static long AmountToApply(long? requested, long creditOpen, long invoiceOpen, string currency)
    {
        if (requested is { } r)
        {
            if (r <= 0) throw ApiException.BadRequest("'amount' must be positive", "amount");
            if (r > creditOpen) throw ApiException.Unprocessable($"The amount ({r}) exceeds what is left on the customer credit ({creditOpen} {currency})", "amount");
            if (r > invoiceOpen) throw ApiException.Unprocessable($"The amount ({r}) exceeds the invoice's open amount ({invoiceOpen} {currency})", "amount");
            return r;
        }
        var amount = Math.Min(creditOpen, invoiceOpen);
        if (amount <= 0) throw ApiException.Unprocessable("Nothing is open on the customer credit or the invoice", "amount");
        return amount;
    }

    /// <summary>An invoice's state as an accounting-document status (ExternalRelatedAccDocV1Model).</summary>
    public static string InvoiceDocumentStatus(string invoiceState) => invoiceState switch
    {
        "OPEN" => Posted,
        "PARTIALLY_PAID" => PartiallyCleared,
        "PAID" => Cleared,
        _ => invoiceState,
    };
}

/// <summary>What can happen to a customer credit.</summary>
public enum CustomerCreditAction { Edit, Post, Archive, Unarchive, Link, SubmitEInvoice }

/// <summary>
/// The customer credit lifecycle: DRAFT → POSTED → PARTIALLY_CLEARED → CLEARED as it is applied to invoices; DRAFT or POSTED
/// (not applied) → ARCHIVED → DRAFT. Pure: (status, action) → next status or the refusal.
/// </summary>
public static class CustomerCreditLifecycle
{
    static readonly string[] PostedStates = [CustomerCreditStates.Posted, CustomerCreditStates.PartiallyCleared, CustomerCreditStates.Cleared];

    public static readonly StateMachine<CustomerCreditAction> Machine = new("Customer credit", new Dictionary<CustomerCreditAction, Transition>
    {
        [CustomerCreditAction.Edit] = new([CustomerCreditStates.Draft], null, "edited"),
        [CustomerCreditAction.Post] = new([CustomerCreditStates.Draft], CustomerCreditStates.Posted, "posted"),
        [CustomerCreditAction.Archive] = new([CustomerCreditStates.Draft, CustomerCreditStates.Posted], CustomerCreditStates.Archived, "archived"),
        // Light documents 400 for unarchiving a credit that is not archived.
        [CustomerCreditAction.Unarchive] = new([CustomerCreditStates.Archived], CustomerCreditStates.Draft, "unarchived", RefusalStatus: 400),
        // The status after an application depends on the amounts: AfterApplication.
        [CustomerCreditAction.Link] = new(PostedStates, null, "linked to an invoice"),
        [CustomerCreditAction.SubmitEInvoice] = new(PostedStates, null, "submitted as an e-invoice"),
    });

    /// <summary>The status after <paramref name="action"/>; a credit applied to invoices must be unlinked before it is archived.</summary>
    public static string Next(string status, CustomerCreditAction action)
    {
        if (action == CustomerCreditAction.Archive && status is CustomerCreditStates.PartiallyCleared or CustomerCreditStates.Cleared)
            throw ApiException.Conflict($"Customer credit is {status}; unlink it from its invoices before archiving");
        return Machine.Next(status, action);
    }

    public static string AfterApplication(long applied, long amount) =>
        applied == 0 ? CustomerCreditStates.Posted : applied >= amount ? CustomerCreditStates.Cleared : CustomerCreditStates.PartiallyCleared;
}
