using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.Invoices;
using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>
/// Applying a posted credit to an open invoice: a CN clearing (Dr AR / Cr AR, customer as partner) that counts toward the
/// invoice's paid amount; unlinking reverses it. The credit is locked first, then the invoice.
/// </summary>
public sealed partial class CustomerCreditStore
{
    /// <summary>
    /// Applies a posted credit to an OPEN / PARTIALLY_PAID invoice of the same customer and currency: a CN clearing
    /// (Dr AR on the credit's side, Cr AR on the invoice's side), the invoice's paid amount grows, both states follow.
    /// </summary>
    public Task<CustomerCreditInvoiceModel?> LinkAsync(Principal principal, Guid creditId, Guid invoiceId, long? requested) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, creditId, async s =>
        {
            var (conn, tx, companyId, credit) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var invoice = await InvoiceStore.LockForClearingAsync(conn, tx, companyId, invoiceId) ?? throw ApiException.NotFound("Invoice receivable");
            CustomerCreditLifecycle.Machine.Ensure(credit.Status, CustomerCreditAction.Link);
            InvoiceLifecycle.Machine.Ensure(invoice.State, InvoiceAction.ReceivePayment);
            CheckSameParty(credit, invoice);
            if (await conn.ExecuteScalarAsync<int>("""
                    SELECT count(*) FROM customer_credit_applications
                     WHERE company_id = @companyId AND customer_credit_id = @creditId AND invoice_receivable_id = @invoiceId
                    """, new { companyId, creditId, invoiceId }, tx) > 0)
                throw ApiException.Conflict("The customer credit is already linked to this invoice; unlink it first to change the amount");
            var amount = CustomerCreditStates.AmountToApply(requested, credit.Amount - credit.AppliedAmount, invoice.Amount - invoice.PaidAmount, credit.Currency);

            var now = Now;
            var (clearingId, transactionId) = await PostClearingAsync(conn, tx, principal, credit, invoice, amount, now);
            await conn.ExecuteAsync("""
                INSERT INTO customer_credit_applications (company_id, customer_credit_id, invoice_receivable_id, amount, clearing_document_id, ledger_transaction_id,
                                                          linked_by, linked_at)
                VALUES (@companyId, @creditId, @invoiceId, @amount, @clearingId, @transactionId, @userId, @now);
                UPDATE customer_credits SET applied_amount = applied_amount + @amount, status = @status, updated_at = @now, updated_by = @userId
                 WHERE company_id = @companyId AND id = @creditId
                """, new
            {
                companyId, creditId, invoiceId, amount, clearingId, transactionId, userId = principal.UserId, now,
                status = CustomerCreditLifecycle.AfterApplication(credit.AppliedAmount + amount, credit.Amount),
            }, tx);
            await InvoiceStore.ApplyClearingAsync(conn, tx, invoice, amount, principal.UserId, now);
            return (await LoadLinksAsync(conn, tx, companyId, creditId)).Single(l => l.InvoiceReceivable.Id == invoiceId);
        });

    static void CheckSameParty(CustomerCreditRow credit, InvoiceRow invoice)
    {
        if (invoice.CustomerId != credit.CustomerId)
            throw ApiException.Unprocessable("The invoice belongs to another customer than the customer credit", "invoiceReceivableId");
        if (invoice.Currency != credit.Currency)
            throw ApiException.Unprocessable($"The invoice is in {invoice.Currency}, the customer credit in {credit.Currency}", "invoiceReceivableId");
    }

    /// <summary>The CN clearing, dated the latest of today, the credit's and the invoice's posting dates.</summary>
    async Task<(Guid ClearingId, Guid TransactionId)> PostClearingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal,
        CustomerCreditRow credit, InvoiceRow invoice, long amount, DateTime now)
    {
        var companyId = principal.CompanyId;
        var date = DateOnly.FromDateTime(now);
        var postingDate = credit.PostingDate is { } pd && pd > date ? pd : date;
        if (invoice.EffectivePostingDate > postingDate) postingDate = invoice.EffectivePostingDate;
        var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
        var customer = await CustomerStore.FindAsync(conn, tx, companyId, credit.CustomerId!.Value);
        var description = $"Customer credit {credit.DocumentNumber} applied to invoice {invoice.InvoiceNumber}";
        var (localRate, groupRate) = await SalesDocumentPosting.RatesAsync(conn, tx, companyId, credit.CompanyEntityId, credit.Currency, credit.LocalFxRate,
            credit.GroupFxRate, postingDate);
        var (creditBooked, invoiceBooked) = await BookedSidesAsync(conn, tx, credit, invoice, amount, new(localRate, groupRate));
        var needsFx = creditBooked is not null && creditBooked != invoiceBooked;
        var lines = CreditClearing.Lines(receivable, amount, description, creditBooked, invoiceBooked,
            needsFx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_GAIN") : Guid.Empty,
            needsFx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_LOSS") : Guid.Empty);
        var transactionId = Ids.New();
        var clearingId = Ids.New();
        await engine.PostAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
            new PostingDocument(clearingId, "CN", credit.CompanyEntityId, "PRIMARY", credit.DocumentNumber, description, credit.Currency, postingDate,
                credit.DocumentDate ?? postingDate, null, customer?.Name, credit.CustomerId),
            lines, localRate, groupRate, TransactionId: transactionId));
        return (clearingId, transactionId);
    }

    /// <summary>
    /// In a foreign currency, what the applied amount was booked at on each side: on the credit at the credit's rates, on the invoice at
    /// the invoice's (the clearing that completes either takes what is left). Null in the entity's own currency: nothing to realise.
    /// </summary>
    static async Task<(LocalAndGroup<long>? Credit, LocalAndGroup<long>? Invoice)> BookedSidesAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        CustomerCreditRow credit, InvoiceRow invoice, long amount, LocalAndGroup<decimal> creditRates)
    {
        var (local, group) = await DocumentContext.CurrenciesOfAsync(conn, tx, credit.CompanyId, credit.CompanyEntityId);
        if (credit.Currency == local || invoice.LocalFxRate is not { } invoiceLocal || invoice.GroupFxRate is not { } invoiceGroup) return (null, null);
        var currencies = new LocalAndGroup<string>(local, group);
        var appliedOnCredit = (await conn.QueryAsync<long>(
            "SELECT amount FROM customer_credit_applications WHERE company_id = @companyId AND customer_credit_id = @creditId",
            new { companyId = credit.CompanyId, creditId = credit.Id }, tx)).ToList();
        var onCredit = SalesSettlement.Amounts(amount, credit.Amount, appliedOnCredit, credit.Currency, currencies, creditRates, creditRates);
        var onInvoice = SalesSettlement.Amounts(amount, invoice.Amount, await SalesSettlement.ClearedOnInvoiceAsync(conn, tx, credit.CompanyId, invoice.Id),
            credit.Currency, currencies, new(invoiceLocal, invoiceGroup), new(invoiceLocal, invoiceGroup));
        return (new(onCredit.BookedLocal, onCredit.BookedGroup), new(onInvoice.BookedLocal, onInvoice.BookedGroup));
    }

    /// <summary>Takes a credit off an invoice: the clearing is reversed, the invoice's paid amount and both states go back.</summary>
    public Task<bool> UnlinkAsync(Principal principal, Guid creditId, Guid invoiceId) =>
        DocumentCommand.TryRunAsync(db, Table, principal.CompanyId, creditId, async s =>
        {
            var (conn, tx, companyId, credit) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            if (await InvoiceStore.LockForClearingAsync(conn, tx, companyId, invoiceId) is not { } invoice) return false;
            var application = await conn.QuerySingleOrDefaultAsync<(long Amount, Guid TransactionId, Guid ClearingId)>("""
                SELECT amount, ledger_transaction_id, clearing_document_id FROM customer_credit_applications
                 WHERE company_id = @companyId AND customer_credit_id = @creditId AND invoice_receivable_id = @invoiceId
                """, new { companyId, creditId, invoiceId }, tx);
            if (application.Amount == 0) throw ApiException.NotFound("Link between the customer credit and the invoice");
            var now = Now;
            await engine.ReverseAsync(conn, tx, companyId, application.TransactionId, null, principal.UserId);
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, application.ClearingId, "REVERSED");
            await conn.ExecuteAsync("""
                DELETE FROM customer_credit_applications WHERE company_id = @companyId AND customer_credit_id = @creditId AND invoice_receivable_id = @invoiceId;
                UPDATE customer_credits SET applied_amount = applied_amount - @amount, status = @status, updated_at = @now, updated_by = @userId
                 WHERE company_id = @companyId AND id = @creditId
                """, new
            {
                companyId, creditId, invoiceId, application.Amount, now, userId = principal.UserId,
                status = CustomerCreditLifecycle.AfterApplication(credit.AppliedAmount - application.Amount, credit.Amount),
            }, tx);
            await InvoiceStore.ApplyClearingAsync(conn, tx, invoice, -application.Amount, principal.UserId, now);
            return true;
        });

    /// <summary>The first application of each credit, for linkedInvoiceReceivable on lists (include=INVOICE_RECEIVABLE).</summary>
    public async Task<Dictionary<Guid, RelatedAccDocModel>> LinkedInvoicesAsync(Guid companyId, IReadOnlyList<Guid> creditIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<LinkRow>($"""
            SELECT DISTINCT ON (a.customer_credit_id) {LinkRow.Columns} {LinkRow.From}
             WHERE a.company_id = @companyId AND a.customer_credit_id = ANY(@creditIds) ORDER BY a.customer_credit_id, a.linked_at
            """, new { companyId, creditIds = creditIds.ToArray() })).ToDictionary(l => l.CreditId, l => l.ToModel().InvoiceReceivable);
    }

    static async Task<List<CustomerCreditInvoiceModel>> LoadLinksAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid creditId) =>
        (await conn.QueryAsync<LinkRow>($"""
            SELECT {LinkRow.Columns} {LinkRow.From} WHERE a.company_id = @companyId AND a.customer_credit_id = @creditId ORDER BY a.linked_at
            """, new { companyId, creditId }, tx)).Select(l => l.ToModel()).ToList();
    sealed class LinkRow
    {
        public Guid CompanyId { get; set; }
        public Guid CreditId { get; set; }
        public string? CreditNumber { get; set; }
        public DateOnly? CreditDate { get; set; }
        public string CreditStatus { get; set; } = "";
        public long CreditAmount { get; set; }
        public string Currency { get; set; } = "";
        public Guid InvoiceId { get; set; }
        public string? InvoiceNumber { get; set; }
        public DateOnly? InvoiceDate { get; set; }
        public string InvoiceState { get; set; } = "";
        public long InvoiceAmount { get; set; }
        public string InvoiceCurrency { get; set; } = "";
        public long Amount { get; set; }
        public DateTime LinkedAt { get; set; }

        public const string Columns = """
            a.company_id, c.id AS credit_id, c.document_number AS credit_number, c.document_date AS credit_date, c.status AS credit_status,
            c.amount AS credit_amount, c.currency, i.id AS invoice_id, i.invoice_number, i.invoice_date, i.state AS invoice_state,
            i.amount AS invoice_amount, i.currency AS invoice_currency, a.amount, a.linked_at
            """;
        public const string From = """
            FROM customer_credit_applications a
            JOIN customer_credits c ON c.company_id = a.company_id AND c.id = a.customer_credit_id
            JOIN invoice_receivables i ON i.company_id = a.company_id AND i.id = a.invoice_receivable_id
            """;

        public CustomerCreditInvoiceModel ToModel() => new(CompanyId,
            new RelatedAccDocModel(CreditId, CreditNumber, CreditDate, CreditStatus, CreditAmount, Currency),
            new RelatedAccDocModel(InvoiceId, InvoiceNumber, InvoiceDate, CustomerCreditStates.InvoiceDocumentStatus(InvoiceState), InvoiceAmount,
                InvoiceCurrency),
            Amount, LinkedAt);
    }
}
