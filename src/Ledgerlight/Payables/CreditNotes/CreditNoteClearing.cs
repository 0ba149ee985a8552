using Ledgerlight.Ledger.JournalEntries;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>
/// Clearing a posted credit note against a posted bill: a CN clearing document (Dr accounts payable for the
/// bill, Cr accounts payable for the credit note, both with the vendor as business partner) recorded as a
/// CN row of the bill's payments, so the bill's open amount and payments list include it. Shared by the
/// credit note links and by the bill's post, which applies links made before it was posted.
/// </summary>
public static class CreditNoteClearing
{
    /// <summary>The bill's side: what a link may still take from it.</summary>
    public sealed class BillSide
    {
        public Guid Id { get; set; }
        public Guid CompanyEntityId { get; set; }
        public Guid? VendorId { get; set; }
        public string? VendorName { get; set; }
        public string State { get; set; } = "";
        public long? Amount { get; set; }
        public string Currency { get; set; } = "";
        public string? InvoiceNumber { get; set; }
        public string? DocumentNumber { get; set; }
        public DateOnly? IssuedDate { get; set; }
        public long? BookedLocalAmount { get; set; }
        public long? BookedGroupAmount { get; set; }
        public decimal? LocalFxRate { get; set; }
        public decimal? GroupFxRate { get; set; }
        public Guid? PostedTransactionId { get; set; }
        /// <summary>Active clearings (bank payments and credit notes).</summary>
        public long Cleared { get; set; }
        public long ClearedLocal { get; set; }
        public long ClearedGroup { get; set; }
        /// <summary>Links waiting for the bill's post.</summary>
        public long Pending { get; set; }
        public string LocalCurrency { get; set; } = "";
        public string GroupCurrency { get; set; } = "";

        public bool IsPosted => PostedTransactionId is not null && InvoicePayables.BillState.Posted.Contains(State);
        public long Open => (Amount ?? 0) - Cleared - Pending;
    }

    public static Task<BillSide?> LoadBillAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid billId, bool forUpdate) =>
        conn.QuerySingleOrDefaultAsync<BillSide>($"""
            SELECT b.id, b.company_entity_id, b.vendor_id, v.name AS vendor_name, b.state, b.amount, trim(b.currency) AS currency, b.invoice_number,
                   b.document_number, b.issued_date, b.booked_local_amount, b.booked_group_amount, b.local_fx_rate, b.group_fx_rate,
                   b.posted_transaction_id, trim(e.local_currency) AS local_currency, trim(co.base_currency) AS group_currency,
                   COALESCE((SELECT sum(p.amount) FROM invoice_payable_payments p WHERE p.company_id = b.company_id AND p.invoice_payable_id = b.id AND p.reversed_at IS NULL), 0) AS cleared,
                   COALESCE((SELECT sum(p.booked_local_amount) FROM invoice_payable_payments p WHERE p.company_id = b.company_id AND p.invoice_payable_id = b.id AND p.reversed_at IS NULL), 0) AS cleared_local,
                   COALESCE((SELECT sum(p.booked_group_amount) FROM invoice_payable_payments p WHERE p.company_id = b.company_id AND p.invoice_payable_id = b.id AND p.reversed_at IS NULL), 0) AS cleared_group,
                   COALESCE((SELECT sum(k.amount) FROM credit_note_links k WHERE k.company_id = b.company_id AND k.invoice_payable_id = b.id AND k.clearing_id IS NULL), 0) AS pending
              FROM invoice_payables b LEFT JOIN vendors v ON v.company_id = b.company_id AND v.id = b.vendor_id
              JOIN company_entities e ON e.company_id = b.company_id AND e.id = b.company_entity_id
              JOIN companies co ON co.id = b.company_id
             WHERE b.company_id = @companyId AND b.id = @billId {(forUpdate ? "FOR UPDATE OF b" : "")}
            """, new { companyId, billId }, tx);

    /// <summary>The bill's open item as the clearing rules see it.</summary>
    static OpenItem OpenItemOf(BillSide bill) => new(bill.Amount ?? 0, bill.Cleared, bill.BookedLocalAmount ?? 0, bill.BookedGroupAmount ?? 0,
        bill.ClearedLocal, bill.ClearedGroup, bill.LocalFxRate ?? 1m, bill.GroupFxRate ?? 1m);

    /// <summary>The credit note's open item: its booked amounts and what its active clearings took (each at the note's own share).</summary>
    static async Task<OpenItem> NoteItemAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CreditNoteRow note)
    {
        var (bookedLocal, bookedGroup, cleared, clearedLocal, clearedGroup) = await conn.QuerySingleAsync<(long, long, long, long, long)>("""
            SELECT COALESCE(c.booked_local_amount, 0), COALESCE(c.booked_group_amount, 0),
                   COALESCE(sum(p.amount), 0)::bigint, COALESCE(sum(COALESCE(p.offset_local_amount, p.booked_local_amount)), 0)::bigint,
                   COALESCE(sum(COALESCE(p.offset_group_amount, p.booked_group_amount)), 0)::bigint
              FROM credit_notes c
              LEFT JOIN credit_note_links k ON k.company_id = c.company_id AND k.credit_note_id = c.id
              LEFT JOIN invoice_payable_payments p ON p.company_id = k.company_id AND p.id = k.clearing_id AND p.reversed_at IS NULL
             WHERE c.company_id = @companyId AND c.id = @noteId
             GROUP BY c.booked_local_amount, c.booked_group_amount
            """, new { companyId, noteId = note.Id }, tx);
        return new OpenItem(note.Amount ?? 0, cleared, bookedLocal, bookedGroup, clearedLocal, clearedGroup, note.LocalFxRate ?? 1m, note.GroupFxRate ?? 1m);
    }

    /// <summary>
    /// Posts the clearing of one link and records it as the bill's CN payment; returns the clearing's document id. Each side
    /// gives up its own booked amount; a difference between them is a realised exchange gain or loss.
    /// </summary>
    public static async Task<Guid> ClearAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingEngine engine, Guid companyId, BillSide bill,
        CreditNoteRow note, long amount, Guid createdBy, DateTime now)
    {
        var currency = bill.Currency;
        var currencies = new ClearingCurrencies(currency, bill.LocalCurrency, bill.GroupCurrency);
        var billShare = CreditNoteClearingRules.Share(OpenItemOf(bill), amount, currencies);
        var noteShare = CreditNoteClearingRules.NoteShare(await NoteItemAsync(conn, tx, companyId, note), amount, currencies, billShare);
        var fx = CreditNoteClearingRules.HasDifference(billShare, noteShare);
        var ap = await SystemAccounts.FindAsync(conn, tx, companyId, "AP");
        var clearingId = Ids.New();
        var transactionId = Ids.New();
        var date = DateOnly.FromDateTime(now);
        var postingDate = new[] { date, note.PostingDate ?? date, bill.IssuedDate ?? date }.Max();
        var description = $"Credit note {note.DocumentNumber ?? note.LedgerDocumentNumber} applied to {bill.InvoiceNumber ?? bill.DocumentNumber}";
        var lines = CreditNoteClearingRules.Lines(ap, bill.Id, note.Id, amount, description, billShare, noteShare,
            fx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_GAIN") : Guid.Empty,
            fx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_LOSS") : Guid.Empty);
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, createdBy,
            new PostingDocument(clearingId, "CN", bill.CompanyEntityId, "PRIMARY", null, description, currency, postingDate, postingDate, null,
                bill.VendorName, bill.VendorId),
            lines, bill.LocalFxRate ?? 1m, bill.GroupFxRate ?? 1m, TransactionId: transactionId));
        var documentNumber = await DocumentNumbers.NextAsync(conn, tx, companyId, bill.CompanyEntityId, "CNC", postingDate.Year);
        await conn.ExecuteAsync("""
            INSERT INTO invoice_payable_payments (company_id, id, invoice_payable_id, type, amount, currency, payment_date, comment,
                                                  document_number, booked_local_amount, booked_group_amount, offset_local_amount, offset_group_amount,
                                                  transaction_id, created_by, created_at)
            VALUES (@companyId, @clearingId, @billId, @type, @amount, @currency, @postingDate, @description, @documentNumber, @bookedLocal,
                    @bookedGroup, @offsetLocal, @offsetGroup, @transactionId, @createdBy, @now);
            UPDATE credit_note_links SET clearing_id = @clearingId, updated_at = @now
             WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId
            """, new
        {
            companyId, clearingId, billId = bill.Id, type = InvoicePayables.BillPaymentStore.CreditNoteClearingType, amount, currency, postingDate,
            description, documentNumber, bookedLocal = billShare.Local, bookedGroup = billShare.Group, offsetLocal = noteShare.Local,
            offsetGroup = noteShare.Group, transactionId, createdBy, now, noteId = note.Id,
        }, tx);
        await engine.WriteAsync(conn, tx, prepared, documentNumber);
        bill.Cleared += amount;
        bill.ClearedLocal += billShare.Local;
        bill.ClearedGroup += billShare.Group;
        return clearingId;
    }

    /// <summary>Reverses a link's clearing through the engine; the bill's payments row is marked reversed.</summary>
    public static async Task UnclearAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingEngine engine, Guid companyId, Guid clearingId,
        Guid createdBy, DateTime now)
    {
        var transactionId = await conn.ExecuteScalarAsync<Guid>(
            "SELECT transaction_id FROM invoice_payable_payments WHERE company_id = @companyId AND id = @clearingId", new { companyId, clearingId }, tx);
        var reversal = await engine.ReverseAsync(conn, tx, companyId, transactionId, null, createdBy);
        await conn.ExecuteAsync("""
            UPDATE invoice_payable_payments SET reversed_at = @now, reversal_transaction_id = @reversalId WHERE company_id = @companyId AND id = @clearingId
            """, new { companyId, clearingId, reversalId = reversal.Id, now }, tx);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, clearingId, "ARCHIVED");
    }

    /// <summary>
    /// Applies every link of a bill that was waiting for its post; called by the bill's posting in the same transaction.
    /// Returns the bill's outstanding amount afterwards.
    /// </summary>
    public static async Task<long> ApplyPendingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingEngine engine, Guid companyId, Guid billId,
        Guid createdBy, DateTime now)
    {
        var bill = (await LoadBillAsync(conn, tx, companyId, billId, forUpdate: true))!;
        var links = (await conn.QueryAsync<(Guid NoteId, long Amount)>("""
            SELECT credit_note_id, amount FROM credit_note_links
             WHERE company_id = @companyId AND invoice_payable_id = @billId AND clearing_id IS NULL ORDER BY created_at, credit_note_id
            """, new { companyId, billId }, tx)).ToList();
        foreach (var (noteId, amount) in links)
        {
            var note = (await CreditNoteQueries.Table.LockAsync(conn, tx, companyId, noteId))!;
            if (note.Currency != bill.Currency)
                throw ApiException.Unprocessable($"Linked credit note {noteId} is in {note.Currency}; the invoice payable is in {bill.Currency}", "currency");
            await ClearAsync(conn, tx, engine, companyId, bill, note, amount, createdBy, now);
            await RefreshNoteStatusAsync(conn, tx, companyId, noteId);
        }
        return (bill.Amount ?? 0) - bill.Cleared;
    }

    /// <summary>A posted note's status follows how much of it is cleared; its ledger document's status too.</summary>
    public static async Task RefreshNoteStatusAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid noteId)
    {
        var (amount, cleared, status) = await conn.QuerySingleAsync<(long, long, string)>("""
            SELECT COALESCE(c.amount, 0), COALESCE((SELECT sum(k.amount) FROM credit_note_links k
                                                     WHERE k.company_id = c.company_id AND k.credit_note_id = c.id AND k.clearing_id IS NOT NULL), 0), c.status
              FROM credit_notes c WHERE c.company_id = @companyId AND c.id = @noteId
            """, new { companyId, noteId }, tx);
        if (!CreditNoteStatus.InLedger.Contains(status)) return;
        var next = CreditNoteStatus.AfterClearing(amount, cleared);
        await conn.ExecuteAsync("UPDATE credit_notes SET status = @next, updated_at = now() WHERE company_id = @companyId AND id = @noteId",
            new { companyId, noteId, next }, tx);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, noteId, next);
    }

}
