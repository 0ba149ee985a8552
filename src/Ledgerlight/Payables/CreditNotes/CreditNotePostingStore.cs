using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>A credit note into the ledger (CN document, lines from <see cref="PayablePosting"/> on the credit-note side) and out of it (archive).</summary>
public sealed class CreditNotePostingStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    static readonly PostingPaths Paths = new("lines", "ledgerAccountId", "taxTransactionAmount");
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Dr accounts payable (gross, vendor as business partner), Cr each line's account (net) and input tax.</summary>
    public Task<CreditNoteModel?> PostAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, CreditNoteQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, note) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var status = CreditNoteLifecycle.Next(note.Status, CreditNoteAction.Post);
            var lines = (await CreditNoteQueries.LinesAsync(conn, tx, companyId, [id])).Select(l => l.ToPostable()).ToList();
            var total = lines.Sum(l => l.Net + l.Tax);
            var v = new Validation();
            if (note.VendorId is null) v.Required(null, "businessPartnerId");
            if (lines.Count == 0) v.Add("A credit note needs at least one line to be posted", "lines");
            else if (total == 0) v.Add("A credit note with a zero amount cannot be posted", "amount");
            v.ThrowIfAny(422, "The credit note is not complete enough to post");

            var postingDate = note.DocumentDate ?? DateOnly.FromDateTime(Now);
            var entry = await PayableLedgerEntry.PrepareAsync(conn, tx, engine, companyId, principal.ActorId(), new PayableEntryHeader(id, "CN",
                PayableSide.CreditNote, note.CompanyEntityId, note.Currency, postingDate, note.DocumentDate, note.LocalFxRateOverride,
                note.GroupFxRateOverride, note.Description ?? note.DocumentNumber, note.VendorName, note.VendorId, note.AreLinesWithTax, "AP"), lines, Paths);
            await conn.ExecuteAsync("""
                UPDATE credit_notes SET status = @status, amount = @total, ledger_document_number = @DocumentNumber, posting_date = @postingDate,
                       posted_transaction_id = @TransactionId, local_fx_rate = @LocalRate, group_fx_rate = @GroupRate,
                       booked_local_amount = @BookedLocal, booked_group_amount = @BookedGroup, updated_at = @now, updated_by = @actor
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, id, status, total, entry.DocumentNumber, postingDate, entry.TransactionId, entry.LocalRate, entry.GroupRate, entry.BookedLocal,
                entry.BookedGroup, now = Now, actor = principal.ActorId(),
            }, tx);
            await engine.WriteAsync(conn, tx, entry.Posting, entry.DocumentNumber);
        }, conn => CreditNoteQueries.ModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>Archives a note; a posted one is reversed in the ledger. Refused (409) while it has links.</summary>
    public Task<CreditNoteModel?> ArchiveAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, CreditNoteQueries.Table, principal.CompanyId, id,
            s => ArchiveLockedAsync(s.Connection, s.Transaction, engine, s.Row, principal.ActorId(), Now),
            conn => CreditNoteQueries.ModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>
    /// The archive itself, on a note the caller has locked (archiving it, or reversing a bill's clearing with
    /// shouldArchiveClearingDocument): refused (409) while it has links; a posted note's entry is reversed, never deleted.
    /// </summary>
    public static async Task ArchiveLockedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingEngine engine, CreditNoteRow note, Guid actor,
        DateTime now)
    {
        var (companyId, id) = (note.CompanyId, note.Id);
        var status = CreditNoteLifecycle.Next(note.Status, CreditNoteAction.Archive);
        var links = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM credit_note_links WHERE company_id = @companyId AND credit_note_id = @id",
            new { companyId, id }, tx);
        if (links > 0)
            throw ApiException.Conflict($"Credit note is {note.Status} and linked to {links} invoice payable(s); unlink it before archiving");
        Guid? reversalId = null;
        if (note.PostedTransactionId is { } posted)
        {
            reversalId = (await engine.ReverseAsync(conn, tx, companyId, posted, null, actor)).Id;
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, status);
        }
        await conn.ExecuteAsync("""
            UPDATE credit_notes SET status = @status, reversal_transaction_id = @reversalId, updated_at = @now, updated_by = @actor
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, status, reversalId, now, actor }, tx);
    }
}
