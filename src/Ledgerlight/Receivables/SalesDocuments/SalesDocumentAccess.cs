namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>A sales document line row as the shared read path needs it: its id, its values, its model.</summary>
public interface ISalesLineRow<out TLineModel> : ICustomPropertyRow
{
    Guid Id { get; }
    TLineModel ToModel(IReadOnlyList<CustomPropertyModel> customProperties);
}

/// <summary>What every line write of one kind of sales document checks before it writes.</summary>
/// <param name="ObjectType">The custom property object type of the document and its lines.</param>
/// <param name="EnsureEditable">Refuses (throws) when the document's state does not allow changing its lines.</param>
/// <param name="EnsureRoom">Refuses a new line when the document already has the most it may have.</param>
public sealed record SalesLineRules<TRow>(string ObjectType, Action<TRow> EnsureEditable,
    Func<NpgsqlConnection, NpgsqlTransaction, Guid, Guid, Task> EnsureRoom);

/// <summary>A line update's view of its transaction: the locked document, the stored line and the PATCH of it.</summary>
public sealed record LineScope<TRow, TLineRow>(DocumentScope<TRow> Document, TLineRow Line, PatchSet Patch) where TRow : class
{
    public NpgsqlConnection Connection => Document.Connection;
    public NpgsqlTransaction Transaction => Document.Transaction;
    public Guid CompanyId => Document.CompanyId;
    public TRow Row => Document.Row;
}

/// <summary>
/// How every sales document store (invoices, customer credits, contracts) reads one document and writes its lines. A read
/// takes the header row, its lines in id order and the custom property values of both, resolved in one round trip;
/// <paramref name="toModel"/> makes the model from the row, the line models and the header's values (and may read more on
/// the same connection). A line write locks the document, checks what <paramref name="rules"/> say, and answers with the
/// line as stored.
/// </summary>
public sealed class SalesDocumentAccess<TRow, TLineRow, TLineModel, TModel>(
    DocumentTable<TRow> table,
    Func<NpgsqlConnection, NpgsqlTransaction?, Guid, Guid, Task<List<TLineRow>>> loadLines,
    Func<NpgsqlConnection, NpgsqlTransaction?, TRow, List<TLineModel>, IReadOnlyList<CustomPropertyModel>, Task<TModel>> toModel,
    SalesLineRules<TRow> rules)
    where TRow : class, ICustomPropertyRow where TLineRow : ISalesLineRow<TLineModel> where TModel : class where TLineModel : class
{
    /// <summary>One document on a connection of its own (GET); null when the company has no such document.</summary>
    public async Task<TModel?> GetAsync(NpgsqlDataSource db, Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadAsync(conn, null, companyId, id);
    }

    public async Task<TModel?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await table.FindAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var lines = await loadLines(conn, tx, companyId, id);
        var (header, lineProperties) = await DocumentCustomProperties.ResolveAsync(conn, tx, companyId, row.CustomPropertiesJson,
            lines.Select(l => l.CustomPropertiesJson).ToList());
        return await toModel(conn, tx, row, lines.Select((l, i) => l.ToModel(lineProperties[i])).ToList(), header);
    }

    /// <summary>
    /// A header PATCH: refuses a document its state does not let change, checks the references the PATCH names, runs
    /// <paramref name="patch"/> and answers with the document as committed; null when the document does not exist.
    /// </summary>
    public Task<TModel?> PatchHeaderAsync(NpgsqlDataSource db, Guid companyId, Guid id, HeaderReferences references,
        Func<DocumentScope<TRow>, Task> patch) =>
        DocumentCommand.RunAsync(db, table, companyId, id, async s =>
        {
            rules.EnsureEditable(s.Row);
            await SalesDocumentContext.CheckReferencesAsync(s.Connection, s.Transaction, companyId, references);
            await patch(s);
        }, conn => LoadAsync(conn, null, companyId, id));

    /// <summary>
    /// Adds a line: the document's state, its room for one more line and the line's custom property values are checked,
    /// then <paramref name="insert"/> writes the line and returns its id. Null when the document does not exist.
    /// </summary>
    public Task<TLineModel?> CreateLineAsync(NpgsqlDataSource db, Guid companyId, Guid documentId,
        IReadOnlyList<SetCustomPropertyRequest>? customProperties, Func<DocumentScope<TRow>, Task<Guid>> insert) =>
        DocumentCommand.RunAsync(db, table, companyId, documentId, async s =>
        {
            rules.EnsureEditable(s.Row);
            await rules.EnsureRoom(s.Connection, s.Transaction, companyId, documentId);
            await DocumentCustomProperties.ValidateLineAsync(s.Connection, s.Transaction, companyId, rules.ObjectType, customProperties);
            var lineId = await insert(s);
            return await LoadLineAsync(s.Connection, s.Transaction, companyId, documentId, lineId);
        });

    /// <summary>
    /// Changes a line: null when the document or the line does not exist (a 404 before the state's 422); then the state and
    /// the custom property values are checked and <paramref name="update"/> writes the PATCH (parameters companyId, lineId and
    /// now, read from <paramref name="clock"/> once the checks passed).
    /// </summary>
    public Task<TLineModel?> UpdateLineAsync(NpgsqlDataSource db, TimeProvider clock, Guid companyId, Guid documentId, Guid lineId, JsonElement body,
        IReadOnlyList<SetCustomPropertyRequest>? customProperties, Func<LineScope<TRow, TLineRow>, Task> update) =>
        DocumentCommand.RunAsync(db, table, companyId, documentId, async s =>
        {
            var line = (await loadLines(s.Connection, s.Transaction, companyId, documentId)).SingleOrDefault(l => l.Id == lineId);
            if (line is null) return null;
            rules.EnsureEditable(s.Row);
            await DocumentCustomProperties.ValidateLineAsync(s.Connection, s.Transaction, companyId, rules.ObjectType, customProperties);
            await update(new LineScope<TRow, TLineRow>(s, line, new PatchSet(body, new { companyId, lineId, now = clock.GetUtcNow().UtcDateTime })));
            return await LoadLineAsync(s.Connection, s.Transaction, companyId, documentId, lineId);
        });

    /// <summary>A line just written, answered on its own (it exists: the caller wrote it in this transaction).</summary>
    public async Task<TLineModel?> LoadLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, Guid lineId)
    {
        var line = (await loadLines(conn, tx, companyId, documentId)).Single(l => l.Id == lineId);
        return line.ToModel(await DocumentCustomProperties.ResolveOneAsync(conn, tx, companyId, line.CustomPropertiesJson));
    }
}
