namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>
/// The line commands bills and credit notes share. Each runs under the document's row lock, is refused unless the
/// document may be edited, and leaves the document's amount the sum of its lines; each answers the line as stored
/// (null: no such document or line). What differs per document type is only how a request becomes a stored line.
/// </summary>
/// <param name="LinesName">The lines' field in the document's API, for the line-count error.</param>
/// <param name="LoadLine">The stored line as the API answers it: connection, transaction, company, document, line.</param>
public sealed record PayableLineCommands<TRow, TLineModel>(DocumentTable<TRow> Table, PayableLineTable Lines, string LinesName,
    Action<TRow> EnsureEditable, Func<TRow, Guid?> VendorOf, Func<NpgsqlConnection, NpgsqlTransaction?, Guid, Guid, Guid, Task<TLineModel?>> LoadLine)
    where TRow : class where TLineModel : class
{
    /// <param name="resolve">The request as a stored line, with the vendor's defaults; null with errors added when it is not usable.</param>
    public Task<TLineModel?> AddAsync(NpgsqlDataSource db, TimeProvider clock, Guid companyId, Guid documentId,
        Func<DocumentScope<TRow>, VendorDefaults?, Validation, Task<PayableLineValues?>> resolve) =>
        DocumentCommand.RunAsync(db, Table, companyId, documentId, async s =>
        {
            EnsureEditable(s.Row);
            Limits.LinesAfterAdding(await Lines.CountAsync(s.Connection, s.Transaction, s.CompanyId, documentId), 1, LinesName, Limits.MaxLinesPerDocument);
            var v = new Validation();
            var vendor = await VendorDefaults.OfAsync(s.Connection, s.Transaction, s.CompanyId, VendorOf(s.Row));
            var line = await resolve(s, vendor, v);
            v.ThrowIfAny();
            var id = await Lines.InsertAsync(s.Connection, s.Transaction, s.CompanyId, documentId, line!, Now(clock));
            return await RecomputeAndLoadAsync(s, clock, documentId, id);
        });

    /// <param name="findCurrent">The line as stored, before anything is checked (null: not a line of this document, 404).</param>
    /// <param name="resolve">The request over the current line as the line to store; null with errors added when it is not usable.</param>
    public Task<TLineModel?> ReplaceAsync<TCurrent>(NpgsqlDataSource db, TimeProvider clock, Guid companyId, Guid documentId, Guid lineId,
        Func<DocumentScope<TRow>, Task<TCurrent?>> findCurrent, Func<DocumentScope<TRow>, TCurrent, Validation, Task<PayableLineValues?>> resolve)
        where TCurrent : class =>
        DocumentCommand.RunAsync(db, Table, companyId, documentId, async s =>
        {
            if (await findCurrent(s) is not { } current) return null;
            EnsureEditable(s.Row);
            var v = new Validation();
            var line = await resolve(s, current, v);
            v.ThrowIfAny();
            await Lines.ReplaceAsync(s.Connection, s.Transaction, s.CompanyId, documentId, lineId, line!, Now(clock));
            return await RecomputeAndLoadAsync(s, clock, documentId, lineId);
        });

    /// <summary>Answers the deleted line as it was.</summary>
    public Task<TLineModel?> DeleteAsync(NpgsqlDataSource db, TimeProvider clock, Guid companyId, Guid documentId, Guid lineId) =>
        DocumentCommand.RunAsync(db, Table, companyId, documentId, async s =>
        {
            var line = await LoadLine(s.Connection, s.Transaction, s.CompanyId, documentId, lineId);
            if (line is null) return null;
            EnsureEditable(s.Row);
            await Lines.DeleteAsync(s.Connection, s.Transaction, s.CompanyId, documentId, lineId);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, documentId, Now(clock));
            return line;
        });

    async Task<TLineModel?> RecomputeAndLoadAsync(DocumentScope<TRow> s, TimeProvider clock, Guid documentId, Guid lineId)
    {
        await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, documentId, Now(clock));
        return await LoadLine(s.Connection, s.Transaction, s.CompanyId, documentId, lineId);
    }

    static DateTime Now(TimeProvider clock) => clock.GetUtcNow().UtcDateTime;
}
