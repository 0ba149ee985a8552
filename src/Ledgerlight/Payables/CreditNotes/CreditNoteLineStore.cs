using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>A draft credit note's lines: add, PATCH, delete; the note's amount follows their sum.</summary>
public sealed class CreditNoteLineStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly LineReferenceFields Fields = new("ledgerAccountId", "ledgerTaxId");
    static readonly PayableLineCommands<CreditNoteRow, CreditNoteLineModel> Commands = new(CreditNoteQueries.Table, PayableLineTable.CreditNotes,
        "lines", note => CreditNoteLifecycle.Ensure(note.Status, CreditNoteAction.Edit), note => note.VendorId, CreditNoteQueries.LineAsync);

    public Task<CreditNoteLineModel?> AddAsync(Principal principal, Guid noteId, CreditNoteLineRequest r) =>
        Commands.AddAsync(db, clock, principal.CompanyId, noteId,
            (s, vendor, v) => ResolveAsync(s.Connection, s.Transaction, s.CompanyId, vendor, r, s.Row.AreLinesWithTax, v));

    /// <summary>PATCH of a line: omitted fields keep their value, null clears; amounts are recomputed from the merged line.</summary>
    public Task<CreditNoteLineModel?> PatchAsync(Principal principal, Guid noteId, Guid lineId, CreditNoteLineRequest r, JsonElement body) =>
        Commands.ReplaceAsync(db, clock, principal.CompanyId, noteId, lineId,
            s => CreditNoteQueries.LineRowAsync(s.Connection, s.Transaction, s.CompanyId, noteId, lineId),
            async (s, current, v) =>
            {
                bool Has(string name) => body.TryGetProperty(name, out _);
                var merged = CreditNoteLineRules.Merge(current, r, s.Row.AreLinesWithTax, Has);
                // A line keeps its own references: the vendor's defaults apply only when a line is created.
                var line = await ResolveAsync(s.Connection, s.Transaction, s.CompanyId, null, merged, s.Row.AreLinesWithTax, v);
                return line is null || Has("customProperties") ? line : line with { CustomPropertiesJson = current.CustomPropertiesJson };
            });

    public Task<CreditNoteLineModel?> DeleteAsync(Principal principal, Guid noteId, Guid lineId) =>
        Commands.DeleteAsync(db, clock, principal.CompanyId, noteId, lineId);

    /// <summary>Checks references and custom properties and computes amounts; null (with errors in v) when the line is not usable.</summary>
    public static async Task<PayableLineValues?> ResolveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorDefaults? vendor,
        CreditNoteLineRequest r, bool withTax, Validation v, params object[] path)
    {
        v.MaxLength(r.Description, 1000, [.. path, "description"]);
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "CREDIT_NOTE", r.CustomProperties, v, [.. path, "customProperties"]);
        foreach (var (name, amount) in new[] { ("netTransactionAmount", r.NetTransactionAmount), ("grossTransactionAmount", r.GrossTransactionAmount),
                     ("taxTransactionAmount", r.TaxTransactionAmount) })
            if (amount?.DcSign is { } sign && !DcSign.IsValid(sign)) v.Add("'dcSign' must be D or C", [.. path, name, "dcSign"]);
        if (r.AccrualStartDate is { } s && r.AccrualEndDate is { } e && e < s)
            v.Add("'accrualEndDate' must not be before 'accrualStartDate'", [.. path, "accrualEndDate"]);
        var refs = await PayableLineReferences.ResolveAsync(conn, tx, companyId, vendor, r.LedgerAccountId, r.LedgerTaxId, Fields, v, path);
        var amounts = CreditNoteLineRules.Compute(r.GrossTransactionAmount?.Amount, r.NetTransactionAmount?.Amount, r.TaxTransactionAmount?.Amount,
            refs.RatePercent, withTax, v, path);
        return refs.Ok && amounts is not null ? CreditNoteQueries.Values(r, amounts, refs) : null;
    }
}
