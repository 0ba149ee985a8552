using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Payables.Vendors;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>
/// A bill into the ledger (AP document through the posting engine, lines from <see cref="PayablePosting"/>), then
/// what its post sets off: its purchase order is consumed and credit notes linked before the post are cleared.
/// </summary>
public sealed class BillPostingStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    static readonly PostingPaths Paths = new("lineItems", "accountId", "taxAmount");
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Posts an IN_DRAFT bill that needs no approval, or an approved one.</summary>
    public Task<BillModel?> PostAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            BillLifecycle.Ensure(s.Row.State, BillAction.Post);
            if (s.Row.State == BillState.InDraft && await BillApprovalStore.DecideAsync(s.Connection, s.Transaction, s.Row, Now) is
                    { NeedsApproval: true, Reason: var reason })
                throw ApiException.Conflict($"Invoice payable is {s.Row.State} and needs approval before posting ({reason}); submit it for approval");
            await PostInTransactionAsync(s.Connection, s.Transaction, s.CompanyId, id, principal.ActorId());
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, true));

    /// <summary>Dr each line's account (net) and input tax, Cr accounts payable (gross) with the vendor as business partner.</summary>
    public async Task PostInTransactionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid createdBy)
    {
        var bill = (await BillQueries.Table.LockAsync(conn, tx, companyId, id))!;
        var state = BillLifecycle.Next(bill.State, BillAction.Post);
        var lines = (await BillQueries.LinesAsync(conn, tx, companyId, id)).Select(l => l.ToPostable()).ToList();
        var v = new Validation();
        if (bill.VendorId is null && BillType.NeedsVendor(bill.Type)) v.Required(null, "vendorId");
        if (lines.Count == 0) v.Add("A bill needs line items to be posted", "lineItems");
        else if (lines.Sum(l => l.Net + l.Tax) == 0) v.Add("A bill with a zero amount cannot be posted", "amount");
        v.ThrowIfAny(422, "The invoice payable is not complete enough to post");

        var postingDate = bill.IssuedDate ?? DateOnly.FromDateTime(Now);
        var entry = await PayableLedgerEntry.PrepareAsync(conn, tx, engine, companyId, createdBy, new PayableEntryHeader(id, "AP", PayableSide.Bill,
            bill.CompanyEntityId, bill.Currency.Trim(), postingDate, bill.IssuedDate, bill.LocalFxRateOverride, bill.GroupFxRateOverride,
            bill.Description ?? bill.InvoiceNumber, bill.VendorName, bill.VendorId, bill.LineItemsIncludeTax, BillType.PayableAccountRole(bill.Type)),
            lines, Paths);
        var total = lines.Sum(l => l.Net + l.Tax);
        await conn.ExecuteAsync("""
            UPDATE invoice_payables SET state = @state, amount = @total, document_number = @DocumentNumber, posting_date = @postingDate,
                   posted_transaction_id = @TransactionId, local_fx_rate = @LocalRate, group_fx_rate = @GroupRate,
                   booked_local_amount = @BookedLocal, booked_group_amount = @BookedGroup, updated_at = @now, version = version + 1
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId, id, state, total, entry.DocumentNumber, postingDate, entry.TransactionId, entry.LocalRate, entry.GroupRate, entry.BookedLocal,
            entry.BookedGroup, now = Now,
        }, tx);
        await engine.WriteAsync(conn, tx, entry.Posting, entry.DocumentNumber);
        await VendorSpend.AddAsync(conn, tx, companyId, bill.VendorId, postingDate, entry.BookedGroup, DateOnly.FromDateTime(Now));
        await ConsumePurchaseOrderAsync(conn, tx, companyId, bill, total, Now);
        await ApplyLinkedCreditNotesAsync(conn, tx, companyId, id, createdBy);
    }

    /// <summary>
    /// A bill that references a purchase order consumes it; billing beyond what was ordered is flagged on the
    /// bill (a PURCHASE_ORDER_EXCEEDED error in its failureContext), not refused. When its submitter asked for it
    /// (closePurchaseOrder), the order is closed now that the bill is in the ledger.
    /// </summary>
    static async Task ConsumePurchaseOrderAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, BillRow bill, long total, DateTime now)
    {
        if (bill.PurchaseOrderId is not { } purchaseOrderId) return;
        var billing = await PurchaseOrderBilling.RecordBilledAsync(conn, tx, companyId, purchaseOrderId, total);
        if (bill.ClosePurchaseOrder) await PurchaseOrderBilling.CloseAsync(conn, tx, companyId, purchaseOrderId, now);
        if (billing.OverBilled)
            await conn.ExecuteAsync("UPDATE invoice_payables SET purchase_order_exceeded = true WHERE company_id = @companyId AND id = @id",
                new { companyId, id = bill.Id }, tx);
    }

    /// <summary>Linked credit notes are applied as CN clearings: COMPLETED when they clear the bill, else UNPAID.</summary>
    async Task ApplyLinkedCreditNotesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid createdBy)
    {
        var linked = await conn.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM credit_note_links WHERE company_id = @companyId AND invoice_payable_id = @id AND clearing_id IS NULL)",
            new { companyId, id }, tx);
        if (!linked) return;
        var outstanding = await CreditNoteClearing.ApplyPendingAsync(conn, tx, engine, companyId, id, createdBy, Now);
        if (outstanding == 0) await BillQueries.SetStateAsync(conn, tx, companyId, id, BillState.Completed);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, outstanding == 0 ? "CLEARED" : "PARTIALLY_CLEARED");
    }
}
