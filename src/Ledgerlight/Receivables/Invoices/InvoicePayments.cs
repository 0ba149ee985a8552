using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>Payments received on an invoice, and the clearing of applied customer credits against it.</summary>
public sealed partial class InvoiceStore
{
    /// <summary>A bank payment: Dr the bank's ledger account / Cr AR (document type BP) → PARTIALLY_PAID or PAID; overpayment is a 422.</summary>
    public Task<InvoiceModel?> RecordPaymentAsync(Principal principal, Guid id, PaymentRequest r)
    {
        var (amount, paymentDate) = Validate(r);
        return DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            InvoiceLifecycle.Machine.Ensure(row.State, InvoiceAction.ReceivePayment);
            var open = row.Amount - row.PaidAmount;
            if (amount > open)
                throw ApiException.Unprocessable($"The payment ({amount}) exceeds the invoice's open amount ({open} {row.Currency})", "amountInInvoiceCurrency");
            var bankLedgerAccount = r.BankAccountId is { } bankId
                ? await SalesDocumentContext.RequireBankAccountAsync(conn, tx, companyId, bankId, "bankAccountId")
                : await SystemAccounts.FindAsync(conn, tx, companyId, "BANK");
            var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
            var customer = await CustomerStore.FindAsync(conn, tx, companyId, row.CustomerId!.Value);

            var paymentId = Ids.New();
            var transactionId = Ids.New();
            var description = $"Payment of invoice {row.InvoiceNumber}";
            var (lines, localRate, groupRate) = await PaymentLinesAsync(conn, tx, row, amount, paymentDate, bankLedgerAccount, receivable, description);
            var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
                new PostingDocument(paymentId, "BP", row.CompanyEntityId, "PRIMARY", null, description, row.Currency, paymentDate, paymentDate, null,
                    customer?.Name, row.CustomerId),
                lines, localRate, groupRate, TransactionId: transactionId));
            var number = await DocumentNumbers.NextAsync(conn, tx, companyId, row.CompanyEntityId, "BP", paymentDate.Year);
            var now = Now;
            await conn.ExecuteAsync("""
                INSERT INTO invoice_receivable_payments (company_id, id, invoice_receivable_id, amount, currency, payment_date, bank_account_id,
                                                         ledger_transaction_id, created_by, created_at)
                VALUES (@companyId, @paymentId, @id, @amount, @Currency, @paymentDate, @BankAccountId, @transactionId, @userId, @now);
                UPDATE invoice_receivables SET paid_amount = paid_amount + @amount, state = @state, updated_at = @now, updated_by = @userId
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, paymentId, id, amount, row.Currency, paymentDate, r.BankAccountId, transactionId, userId = principal.UserId, now,
                state = InvoiceLifecycle.AfterClearing(row.PaidAmount + amount, row.Amount),
            }, tx);
            await engine.WriteAsync(conn, tx, prepared, number);
        }, conn => LoadModelAsync(conn, null, principal.CompanyId, id));
    }

    /// <summary>
    /// The payment's lines and rates. In the entity's currency: Dr bank / Cr AR at the invoice's rates. In a foreign currency the
    /// receivable is cleared at what it was booked at and the bank takes the payment date's rate; a difference is a realised FX line.
    /// </summary>
    static async Task<(List<PostingLine> Lines, decimal LocalRate, decimal GroupRate)> PaymentLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        InvoiceRow row, long amount, DateOnly paymentDate, Guid bank, Guid receivable, string description)
    {
        var companyId = row.CompanyId;
        var (localRate, groupRate) = await SalesDocumentPosting.RatesAsync(conn, tx, companyId, row.CompanyEntityId, row.Currency, row.LocalFxRate,
            row.GroupFxRate, paymentDate);
        var (local, group) = await DocumentContext.CurrenciesOfAsync(conn, tx, companyId, row.CompanyEntityId);
        if (row.Currency == local) return (SalesPosting.Payment(bank, receivable, amount, description, null, Guid.Empty, Guid.Empty), localRate, groupRate);

        var currencies = new LocalAndGroup<string>(local, group);
        var booked = new LocalAndGroup<decimal>(localRate, groupRate);
        var paid = await SalesSettlement.ClearingRatesAsync(conn, tx, row.Currency, currencies, booked, paymentDate);
        var fx = SalesSettlement.Amounts(amount, row.Amount, await SalesSettlement.ClearedOnInvoiceAsync(conn, tx, companyId, row.Id), row.Currency,
            currencies, booked, paid);
        if (!fx.HasDifference) return (SalesPosting.Payment(bank, receivable, amount, description, null, Guid.Empty, Guid.Empty), localRate, groupRate);
        var lines = SalesPosting.Payment(bank, receivable, amount, description, fx, await SystemAccounts.FindAsync(conn, tx, companyId, "FX_GAIN"),
            await SystemAccounts.FindAsync(conn, tx, companyId, "FX_LOSS"));
        return (lines, paid.Local, paid.Group);
    }

    static (long Amount, DateOnly PaymentDate) Validate(PaymentRequest r)
    {
        var v = new Validation();
        v.Required(r.PaymentDate, "paymentDate");
        v.Required(r.AmountInInvoiceCurrency, "amountInInvoiceCurrency");
        if (r.AmountInInvoiceCurrency is <= 0) v.Add("'amountInInvoiceCurrency' must be positive", "amountInInvoiceCurrency");
        else v.Amount(r.AmountInInvoiceCurrency, "amountInInvoiceCurrency");
        v.ThrowIfAny();
        return (r.AmountInInvoiceCurrency!.Value, r.PaymentDate!.Value);
    }

    /// <summary>
    /// Everything that counts toward the invoice's paid amount, oldest first: bank payments (BP) and the customer credits applied to it (CC,
    /// one entry per standing application, dated by its clearing's posting date), so the listed amounts add up to what set the state.
    /// </summary>
    public async Task<IReadOnlyList<InvoicePaymentModel>?> ListPaymentsAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (await Table.FindAsync(conn, null, companyId, id) is null) return null;
        return (await conn.QueryAsync<PaymentRow>("""
            SELECT p.id, p.invoice_receivable_id, p.amount, p.currency, p.payment_date, p.created_at, @bp AS type, p.bank_account_id,
                   NULL::text AS document_number
              FROM invoice_receivable_payments p
             WHERE p.company_id = @companyId AND p.invoice_receivable_id = @id
            UNION ALL
            SELECT a.clearing_document_id, a.invoice_receivable_id, a.amount, c.currency, d.posting_date, a.linked_at, @cc, NULL::uuid,
                   c.document_number
              FROM customer_credit_applications a
              JOIN customer_credits c ON c.company_id = a.company_id AND c.id = a.customer_credit_id
              JOIN accounting_documents d ON d.company_id = a.company_id AND d.id = a.clearing_document_id
             WHERE a.company_id = @companyId AND a.invoice_receivable_id = @id
             ORDER BY created_at, id
            """, new { companyId, id, bp = "BP", cc = "CC" })).Select(p => p.ToModel()).ToList();
    }

    /// <summary>Locks an invoice for a customer credit's clearing (the credit is locked first).</summary>
    public static Task<InvoiceRow?> LockForClearingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        Table.LockAsync(conn, tx, companyId, id);

    /// <summary>
    /// A customer credit applied to (delta &gt; 0) or taken off (delta &lt; 0) a locked OPEN / PARTIALLY_PAID / PAID invoice: it counts
    /// toward the paid amount like a payment, and the state follows (OPEN when nothing is paid any more).
    /// </summary>
    public static Task ApplyClearingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, InvoiceRow locked, long delta, Guid? userId, DateTime now) =>
        conn.ExecuteAsync("""
            UPDATE invoice_receivables SET paid_amount = paid_amount + @delta, state = @state, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId = locked.CompanyId, id = locked.Id, delta, userId, now,
            state = InvoiceLifecycle.AfterClearing(locked.PaidAmount + delta, locked.Amount),
        }, tx);

    sealed class PaymentRow
    {
        public Guid Id { get; set; }
        public Guid InvoiceReceivableId { get; set; }
        public long Amount { get; set; }
        public string Currency { get; set; } = "";
        public DateOnly PaymentDate { get; set; }
        public DateTime CreatedAt { get; set; }
        public string Type { get; set; } = "";
        public Guid? BankAccountId { get; set; }
        public string? DocumentNumber { get; set; }

        /// <summary>The id is the entry's accounting document (the BP payment, or the CN clearing), so accDocId finds its ledger lines.</summary>
        public InvoicePaymentModel ToModel() => new(Id, InvoiceReceivableId, Amount, PaymentDate, Currency.Trim(),
            Type == "CC" ? new CustomerCreditEntryModel(Id, Amount, DocumentNumber) : new BankPaymentEntryModel(Id, BankAccountId), CreatedAt);
    }
}
