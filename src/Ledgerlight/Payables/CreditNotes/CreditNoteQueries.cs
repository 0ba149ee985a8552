using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>The reads every credit note store shares: the note's table, its lines, the model the API answers.</summary>
public static class CreditNoteQueries
{
    public static readonly DocumentTable<CreditNoteRow> Table = new("credit_notes", "c", CreditNoteRow.OwnColumns);

    public static async Task<CreditNoteLineRow?> LineRowAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid noteId, Guid lineId) =>
        await conn.QuerySingleOrDefaultAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @noteId AND id = @lineId",
            new { companyId, noteId, lineId }, tx);

    public static async Task<CreditNoteLineModel?> LineAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid noteId, Guid lineId)
    {
        var line = await LineRowAsync(conn, tx, companyId, noteId, lineId);
        if (line is null) return null;
        return line.ToModel((await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [line.CustomPropertiesJson]))[0]);
    }

    public static async Task<List<CreditNoteLineRow>> LinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid[] ids) =>
        (await conn.QueryAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = ANY(@ids) ORDER BY position",
            new { companyId, ids }, tx)).ToList();

    /// <summary>Notes as the API answers them, their lines and custom properties resolved in one round trip each.</summary>
    public static async Task<IReadOnlyList<CreditNoteModel>> ModelsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId,
        IReadOnlyList<CreditNoteRow> notes)
    {
        var lines = await LinesAsync(conn, tx, companyId, notes.Select(n => n.Id).ToArray());
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId,
            [.. notes.Select(n => n.CustomPropertiesJson), .. lines.Select(l => l.CustomPropertiesJson)]);
        var lineModels = lines.Select((l, i) => l.ToModel(properties[notes.Count + i])).ToLookup(l => l.CreditNoteId);
        return notes.Select((n, i) => n.ToModel(lineModels[n.Id].ToList(), properties[i])).ToList();
    }

    public static async Task<CreditNoteModel?> ModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await Table.FindAsync(conn, tx, companyId, id);
        return row is null ? null : (await ModelsAsync(conn, tx, companyId, [row]))[0];
    }

    /// <summary>A credit note line's stored values: the shared line columns plus the cost centre and accrual credit notes have.</summary>
    public static PayableLineValues Values(CreditNoteLineRequest r, EnteredAmounts amounts, LineReferences refs) =>
        new(amounts, r.Description, refs.AccountId, refs.TaxCodeId, CustomPropertyRequests.ToJson(r.CustomProperties),
        [
            ("cost_center_id", r.CostCenterId), ("accrual_template_id", r.AccrualTemplateId), ("accrual_start_date", r.AccrualStartDate),
            ("accrual_end_date", r.AccrualEndDate),
        ]);
}
