using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>
/// Links between posted credit notes and bills: a link to a posted bill is cleared at once (<see cref="CreditNoteClearing"/>),
/// one to a bill not yet posted at its post. Every write locks the bill, then the credit note (the one lock order).
/// </summary>
public sealed class CreditNoteLinkStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;


    sealed class LinkRow
    {
        public Guid CreditNoteId { get; set; }
        public Guid InvoicePayableId { get; set; }
        public long Amount { get; set; }
        public string Currency { get; set; } = "";
        public Guid? ClearingId { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    const string LinkColumns = "credit_note_id, invoice_payable_id, amount, trim(currency) AS currency, clearing_id, created_at, updated_at";

    public async Task<IReadOnlyList<CreditNoteLinkModel>?> ListLinksAsync(Guid companyId, Guid? noteId, Guid? billId)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (noteId is { } n && await CreditNoteQueries.Table.FindAsync(conn, null, companyId, n) is null) return null;
        if (billId is { } b && !await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM invoice_payables WHERE company_id = @companyId AND id = @b)",
                new { companyId, b })) return null;
        var links = (await conn.QueryAsync<LinkRow>($"""
            SELECT {LinkColumns} FROM credit_note_links
             WHERE company_id = @companyId AND (@noteId::uuid IS NULL OR credit_note_id = @noteId) AND (@billId::uuid IS NULL OR invoice_payable_id = @billId)
             ORDER BY created_at, credit_note_id, invoice_payable_id
            """, new { companyId, noteId, billId })).ToList();
        var result = new List<CreditNoteLinkModel>();
        foreach (var link in links) result.Add(await LinkModelAsync(conn, null, companyId, link));
        return result;
    }

    async Task<CreditNoteLinkModel> LinkModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, LinkRow link)
    {
        var note = (await CreditNoteQueries.Table.FindAsync(conn, tx, companyId, link.CreditNoteId))!;
        var bill = await conn.QuerySingleAsync<(string? Number, DateOnly? Date, string State, long? Amount, string Currency, string? DocNumber)>("""
            SELECT invoice_number, issued_date, state, amount, trim(currency), document_number FROM invoice_payables WHERE company_id = @companyId AND id = @id
            """, new { companyId, id = link.InvoicePayableId }, tx);
        var billStatus = CreditNoteClearingRules.DocumentStatusOf(bill.State);
        return new CreditNoteLinkModel(companyId, note.ToRelated(),
            new RelatedAccDocModel(link.InvoicePayableId, bill.Number ?? bill.DocNumber, bill.Date, billStatus, bill.Amount, bill.Currency),
            link.Amount, link.Currency, link.CreatedAt, link.UpdatedAt);
    }

    /// <summary>A link write's view of its transaction: both documents locked (bill first), and their link if any.</summary>
    sealed record LinkScope(NpgsqlConnection Connection, NpgsqlTransaction Transaction, Guid CompanyId, CreditNoteClearing.BillSide Bill,
        CreditNoteRow Note, LinkRow? Link);

    /// <summary>
    /// The transaction skeleton of every link write: lock the bill, then the credit note (the one lock order), find their
    /// link, run the command, commit. Null (404) when either document, or with <paramref name="needsLink"/> the link, is missing.
    /// </summary>
    async Task<T?> RunAsync<T>(Guid companyId, Guid billId, Guid noteId, bool needsLink, Func<LinkScope, Task<T>> command) where T : class
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: true);
        var note = bill is null ? null : await CreditNoteQueries.Table.LockAsync(conn, tx, companyId, noteId);
        if (bill is null || note is null) return null;
        var link = await FindLinkAsync(conn, tx, companyId, noteId, billId);
        if (needsLink && link is null) return null;
        var result = await command(new LinkScope(conn, tx, companyId, bill, note, link));
        await tx.CommitWriteAsync();
        return result;
    }

    /// <summary>Links a posted note to a bill; when the bill is posted too the clearing is booked at once, else at the bill's post.</summary>
    public Task<CreditNoteLinkModel?> LinkAsync(Principal principal, Guid noteId, Guid billId, long? requested)
    {
        var amount = CreditNoteClearingRules.RequireAmount(requested);
        return RunAsync(principal.CompanyId, billId, noteId, needsLink: false, async s =>
        {
            var (conn, tx, companyId, bill, note) = (s.Connection, s.Transaction, s.CompanyId, s.Bill, s.Note);
            if (s.Link is not null)
                throw ApiException.Conflict("The credit note is already linked to this invoice payable; update the link's amount instead");
            CreditNoteLifecycle.Ensure(note.Status, CreditNoteAction.Link);
            CreditNoteClearingRules.CheckCompatible(bill.State, note.CompanyEntityId, bill.CompanyEntityId, note.VendorId, bill.VendorId, note.Currency,
                bill.Currency);
            CreditNoteClearingRules.CheckApplication(amount, (note.Amount ?? 0) - note.Linked, bill.Open);
            var now = Now;
            await conn.ExecuteAsync("""
                INSERT INTO credit_note_links (company_id, credit_note_id, invoice_payable_id, amount, currency, created_at, updated_at)
                VALUES (@companyId, @noteId, @billId, @amount, @currency, @now, @now)
                """, new { companyId, noteId, billId, amount, currency = note.Currency, now }, tx);
            if (bill.IsPosted) await ApplyToPostedBillAsync(conn, tx, companyId, bill, note, amount, principal.ActorId(), now);
            return await LinkModelAsync(conn, tx, companyId, (await FindLinkAsync(conn, tx, companyId, noteId, billId))!);
        });
    }

    /// <summary>Changes a link's amount: its clearing (if any) is reversed and booked again at the new amount.</summary>
    public Task<CreditNoteLinkModel?> UpdateLinkAsync(Principal principal, Guid noteId, Guid billId, long? requested)
    {
        var amount = CreditNoteClearingRules.RequireAmount(requested);
        return RunAsync(principal.CompanyId, billId, noteId, needsLink: true, async s =>
        {
            var (conn, tx, companyId, bill, note, link) = (s.Connection, s.Transaction, s.CompanyId, s.Bill, s.Note, s.Link!);
            // The link's own amount (pending, or cleared and about to be reversed) is open again on both sides.
            CreditNoteClearingRules.CheckApplication(amount, (note.Amount ?? 0) - note.Linked + link.Amount, bill.Open + link.Amount);
            var now = Now;
            if (link.ClearingId is { } clearingId)
            {
                await CreditNoteClearing.UnclearAsync(conn, tx, engine, companyId, clearingId, principal.ActorId(), now);
                bill = (await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: true))!;
            }
            await conn.ExecuteAsync("""
                UPDATE credit_note_links SET amount = @amount, clearing_id = NULL, updated_at = @now
                 WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId
                """, new { companyId, noteId, billId, amount, now }, tx);
            if (bill.IsPosted) await ApplyToPostedBillAsync(conn, tx, companyId, bill, note, amount, principal.ActorId(), now);
            return await LinkModelAsync(conn, tx, companyId, (await FindLinkAsync(conn, tx, companyId, noteId, billId))!);
        });
    }

    /// <summary>Removes a link; its clearing (if booked) is reversed and the bill's open amount restored.</summary>
    public Task<CreditNoteLinkModel?> UnlinkAsync(Principal principal, Guid noteId, Guid billId) =>
        RunAsync(principal.CompanyId, billId, noteId, needsLink: true, async s =>
        {
            var (conn, tx, companyId, link) = (s.Connection, s.Transaction, s.CompanyId, s.Link!);
            var removed = await LinkModelAsync(conn, tx, companyId, link);
            if (link.ClearingId is { } clearingId)
                await CreditNoteClearing.UnclearAsync(conn, tx, engine, companyId, clearingId, principal.ActorId(), Now);
            await conn.ExecuteAsync("DELETE FROM credit_note_links WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId",
                new { companyId, noteId, billId }, tx);
            if (link.ClearingId is not null)
            {
                await RefreshBillStateAsync(conn, tx, companyId, billId);
                await CreditNoteClearing.RefreshNoteStatusAsync(conn, tx, companyId, noteId);
            }
            return removed;
        });

    async Task ApplyToPostedBillAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CreditNoteClearing.BillSide bill,
        CreditNoteRow note, long amount, Guid actor, DateTime now)
    {
        await CreditNoteClearing.ClearAsync(conn, tx, engine, companyId, bill, note, amount, actor, now);
        await RefreshBillStateAsync(conn, tx, companyId, bill.Id);
        await CreditNoteClearing.RefreshNoteStatusAsync(conn, tx, companyId, note.Id);
    }

    /// <summary>A posted bill's state and ledger document status from what is still open (the bills' own rule).</summary>
    static async Task RefreshBillStateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid billId)
    {
        var bill = (await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: false))!;
        if (!bill.IsPosted) return;
        var amount = bill.Amount ?? 0;
        var outstanding = amount - bill.Cleared;
        var anyBankPayment = await conn.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM invoice_payable_payments
                            WHERE company_id = @companyId AND invoice_payable_id = @billId AND type = @bankPayment AND reversed_at IS NULL)
            """, new { companyId, billId, bankPayment = InvoicePayables.BillPaymentStore.BankPayment }, tx);
        var state = InvoicePayables.BillState.AfterClearing(amount, outstanding, anyBankPayment);
        await conn.ExecuteAsync("UPDATE invoice_payables SET state = @state, updated_at = now(), version = version + 1 WHERE company_id = @companyId AND id = @billId",
            new { companyId, billId, state }, tx);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, billId,
            outstanding == 0 ? "CLEARED" : outstanding == amount ? "POSTED" : "PARTIALLY_CLEARED");
    }

    static Task<LinkRow?> FindLinkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid noteId, Guid billId) =>
        conn.QuerySingleOrDefaultAsync<LinkRow>(
            $"SELECT {LinkColumns} FROM credit_note_links WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId",
            new { companyId, noteId, billId }, tx);
}
