using Ledgerlight.Currencies;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Payables.Vendors;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>
/// A posted bill's way out of the ledger: bank payments (BP documents, realised FX differences booked),
/// reversal of a clearing, and cancellation (its AP entry reversed, its purchase order released).
/// </summary>
public sealed class BillPaymentStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    public const string BankPayment = "BP";
    public const string CreditNoteClearingType = "CN";
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    static void CheckPayment(MarkAsPaidRequest r)
    {
        var v = new Validation();
        if (r.PaymentOption is null) v.Required(null, "paymentOption");
        else if (r.PaymentOption is not ("FULL" or "PARTIAL")) v.Add("'paymentOption' must be FULL or PARTIAL", "paymentOption");
        // FULL clears the outstanding balance "regardless of amount", so only a PARTIAL payment's amount is checked.
        if (r.PaymentOption == "PARTIAL")
        {
            if (r.Amount is null) v.Required(null, "amount");
            else if (r.Amount <= 0) v.Add("'amount' must be greater than zero", "amount");
            else v.Amount(r.Amount, "amount");
        }
        v.MaxLength(r.Comment, 1000, "comment");
        v.ThrowIfAny();
    }

    /// <summary>Records a bank payment (BP document): Dr accounts payable, Cr the bank's ledger account.</summary>
    public Task<BillModel?> MarkAsPaidAsync(Principal principal, Guid id, MarkAsPaidRequest r)
    {
        CheckPayment(r);
        return DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, bill) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            BillLifecycle.Ensure(bill.State, BillAction.Pay);
            var currency = bill.Currency.Trim();
            var payments = await BillQueries.ActivePaymentsAsync(conn, tx, companyId, id);
            var outstanding = bill.Amount!.Value - payments.Sum(p => p.Amount);
            var pay = r.PaymentOption == "FULL" ? outstanding : r.Amount!.Value;
            if (pay > outstanding)
                throw ApiException.Unprocessable($"Payment of {pay} exceeds the outstanding balance of {outstanding}", "amount");
            var (bankAccountId, bankLedgerAccount) = await BankAsync(conn, tx, companyId, r.BankAccountId, bill.SenderBankAccountId, currency);

            var paymentAt = r.PaymentAt ?? Now;
            var paymentDate = DateOnly.FromDateTime(paymentAt);
            var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, bill.CompanyEntityId);
            var paidLocalRate = await RateAsync(conn, tx, currency, local, paymentDate, "paymentAt");
            var paidGroupRate = await RateAsync(conn, tx, currency, group, paymentDate, "paymentAt");
            // The open item is cleared at what it was booked at; the last payment takes whatever is left, so rounding never strands a cent.
            var clearsAll = pay == outstanding;
            var bookedLocal = clearsAll ? bill.BookedLocalAmount!.Value - payments.Sum(p => p.BookedLocalAmount) : Money.Convert(pay, currency, local, bill.LocalFxRate!.Value);
            var bookedGroup = clearsAll ? bill.BookedGroupAmount!.Value - payments.Sum(p => p.BookedGroupAmount) : Money.Convert(pay, currency, group, bill.GroupFxRate!.Value);
            var paidLocal = Money.Convert(pay, currency, local, paidLocalRate);
            var paidGroup = Money.Convert(pay, currency, group, paidGroupRate);
            var needsFx = bookedLocal != paidLocal || bookedGroup != paidGroup;
            var lines = FxSettlement.Lines(await SystemAccounts.FindAsync(conn, tx, companyId, BillType.PayableAccountRole(bill.Type)), DcSign.Credit, bankLedgerAccount, pay,
                bookedLocal, paidLocal, bookedGroup, paidGroup,
                needsFx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_GAIN") : Guid.Empty,
                needsFx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_LOSS") : Guid.Empty);

            var paymentId = Ids.New();
            var transactionId = Ids.New();
            var createdBy = principal.ActorId();
            var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, createdBy,
                new PostingDocument(paymentId, BankPayment, bill.CompanyEntityId, "PRIMARY", null, $"Payment of {bill.InvoiceNumber ?? bill.DocumentNumber}",
                    currency, paymentDate, paymentDate, null, bill.VendorName, bill.VendorId),
                lines, paidLocalRate, paidGroupRate, TransactionId: transactionId));
            var documentNumber = await DocumentNumbers.NextAsync(conn, tx, companyId, bill.CompanyEntityId, BankPayment, paymentDate.Year);
            await conn.ExecuteAsync("""
                INSERT INTO invoice_payable_payments (company_id, id, invoice_payable_id, type, amount, currency, payment_date, bank_account_id, comment,
                                                      document_number, booked_local_amount, booked_group_amount, transaction_id, created_by, created_at)
                VALUES (@companyId, @paymentId, @id, @type, @pay, @currency, @paymentDate, @bankAccountId, @Comment, @documentNumber, @bookedLocal,
                        @bookedGroup, @transactionId, @createdBy, @now);
                UPDATE invoice_payables SET state = @state, payment_at = @paymentAt, updated_at = @now, version = version + 1
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, paymentId, id, type = BankPayment, pay, currency, paymentDate, bankAccountId, r.Comment, documentNumber, bookedLocal,
                bookedGroup, transactionId, createdBy, now = Now, paymentAt,
                state = BillState.AfterClearing(bill.Amount.Value, outstanding - pay, anyBankPayment: true),
            }, tx);
            await engine.WriteAsync(conn, tx, prepared, documentNumber);
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, clearsAll ? "CLEARED" : "PARTIALLY_CLEARED");
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, true));
    }

    /// <summary>The bank account paid from (the request's, else the bill's sender account) and its ledger account; the system BANK account for none.</summary>
    static async Task<(Guid? BankAccountId, Guid LedgerAccountId)> BankAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        Guid? requested, Guid? billDefault, string currency)
    {
        if ((requested ?? billDefault) is not { } bankId) return (null, await SystemAccounts.FindAsync(conn, tx, companyId, "BANK"));
        var bank = await conn.QuerySingleOrDefaultAsync<(Guid LedgerAccountId, string Currency)>(
            "SELECT ledger_account_id, trim(currency) FROM bank_accounts WHERE company_id = @companyId AND id = @bankId", new { companyId, bankId }, tx);
        var field = requested is null ? "senderBankAccountId" : "bankAccountId";
        if (bank.LedgerAccountId == Guid.Empty) throw ApiException.BadRequest($"Bank account {bankId} does not exist", field);
        if (bank.Currency != currency)
            throw ApiException.Unprocessable($"Bank account {bankId} is in {bank.Currency}; the bill is in {currency}", field);
        return (bankId, bank.LedgerAccountId);
    }

    /// <summary>Reverses one clearing through the engine and reopens its amount.</summary>
    public Task<BillModel?> ReverseClearingAsync(Principal principal, Guid id, ReverseClearingRequest r)
    {
        var v = new Validation();
        v.Required(r.ClearingAccountingDocumentId, "clearingAccountingDocumentId");
        if (r.ClearingType is null) v.Required(null, "clearingType");
        else if (r.ClearingType is not (BankPayment or CreditNoteClearingType)) v.Add("'clearingType' must be BP or CN", "clearingType");
        v.ThrowIfAny();
        return DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, bill) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var payment = await conn.QuerySingleOrDefaultAsync<PaymentRow>(
                $"SELECT {PaymentRow.Columns} FROM invoice_payable_payments WHERE company_id = @companyId AND invoice_payable_id = @id AND id = @docId AND type = @type",
                new { companyId, id, docId = r.ClearingAccountingDocumentId, type = r.ClearingType }, tx)
                ?? throw ApiException.NotFound($"Clearing {r.ClearingType} {r.ClearingAccountingDocumentId} of this invoice payable");
            if (payment.ReversedAt is not null) throw ApiException.Conflict($"Clearing {payment.DocumentNumber} was already reversed");
            BillLifecycle.Ensure(bill.State, payment.Type == CreditNoteClearingType ? BillAction.ReverseCreditNoteClearing : BillAction.ReverseBankClearing);

            var reversal = await engine.ReverseAsync(conn, tx, companyId, payment.TransactionId, null, principal.ActorId());
            var active = await BillQueries.ActivePaymentsAsync(conn, tx, companyId, id);
            var outstanding = bill.Amount!.Value - active.Sum(p => p.Amount) + payment.Amount;
            var state = BillState.AfterClearing(bill.Amount.Value, outstanding, active.Any(p => p.Type == BankPayment && p.Id != payment.Id));
            var now = Now;
            await conn.ExecuteAsync("""
                UPDATE invoice_payable_payments SET reversed_at = @now, reversal_transaction_id = @reversalId WHERE company_id = @companyId AND id = @paymentId;
                UPDATE invoice_payables SET state = @state, updated_at = @now, version = version + 1 WHERE company_id = @companyId AND id = @id
                """, new { companyId, paymentId = payment.Id, reversalId = reversal.Id, id, state, now }, tx);
            // The clearing no longer has any ledger effect, so its document is archived (for a bank payment that is all
            // shouldArchiveClearingDocument can mean: the payment exists only as this clearing).
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, payment.Id, "ARCHIVED");
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, state == BillState.Unpaid ? "POSTED" : "PARTIALLY_CLEARED");
            if (payment.Type != CreditNoteClearingType) return;
            // A reversed credit note clearing ends its link, so the note's amount is available again, unless the caller
            // asked for the note itself to be archived too (its entry reversed), so that it cannot be applied elsewhere.
            var noteId = await conn.ExecuteScalarAsync<Guid?>(
                "DELETE FROM credit_note_links WHERE company_id = @companyId AND clearing_id = @paymentId RETURNING credit_note_id",
                new { companyId, paymentId = payment.Id }, tx);
            if (noteId is not { } n) return;
            await CreditNoteClearing.RefreshNoteStatusAsync(conn, tx, companyId, n);
            if (r.ShouldArchiveClearingDocument == true)
                await CreditNotePostingStore.ArchiveLockedAsync(conn, tx, engine,
                    (await CreditNoteQueries.Table.LockAsync(conn, tx, companyId, n))!, principal.ActorId(), now);
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, true));
    }

    /// <summary>Cancels a bill before payment; a posted (UNPAID) bill's AP entry is reversed, never deleted.</summary>
    public Task<BillModel?> CancelAsync(Principal principal, Guid id, string? reason) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, bill) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var state = BillLifecycle.Next(bill.State, BillAction.Cancel);
            var links = await conn.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM credit_note_links WHERE company_id = @companyId AND invoice_payable_id = @id", new { companyId, id }, tx);
            if (links > 0)
                throw ApiException.Conflict($"Invoice payable is {bill.State} and has {links} linked credit note(s); unlink them before cancelling");
            Guid? reversalId = null;
            if (bill.State == BillState.Unpaid)
            {
                reversalId = (await engine.ReverseAsync(conn, tx, companyId, bill.PostedTransactionId!.Value, null, principal.ActorId())).Id;
                await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, "ARCHIVED");
                await VendorSpend.AddAsync(conn, tx, companyId, bill.VendorId, bill.PostingDate!.Value, -(bill.BookedGroupAmount ?? 0), DateOnly.FromDateTime(Now));
                // A cancelled bill no longer consumes its purchase order.
                if (bill.PurchaseOrderId is { } purchaseOrderId)
                    await PurchaseOrderBilling.ReleaseBilledAsync(conn, tx, companyId, purchaseOrderId, bill.Amount ?? 0);
            }
            await conn.ExecuteAsync("""
                UPDATE invoice_approvals SET status = @cancelledApproval, completed_at = @now, updated_at = @now
                 WHERE company_id = @companyId AND invoice_payable_id = @id AND status = @open;
                UPDATE invoice_payables SET state = @state, cancellation_reason = @reason, canceled_at = @now, reversal_transaction_id = @reversalId,
                       updated_at = @now, version = version + 1
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, id, reason, now = Now, reversalId, state, cancelledApproval = ApprovalStatus.Cancelled, open = ApprovalStatus.InProgress,
            }, tx);
        }, conn => BillQueries.ModelAsync(conn, null, principal.CompanyId, id, false));
}
