using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>A draft credit note's lines: add, PATCH, delete; the note's amount follows their sum.</summary>
public sealed class CreditNoteLineStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly LineReferenceFields Fields = new("ledgerAccountId", "ledgerTaxId");
    static readonly PayableLineTable Lines = PayableLineTable.CreditNotes;
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<CreditNoteLineModel?> AddAsync(Principal principal, Guid noteId, CreditNoteLineRequest r) =>
        DocumentCommand.RunAsync(db, CreditNoteQueries.Table, principal.CompanyId, noteId, async s =>
        {
            CreditNoteLifecycle.Ensure(s.Row.Status, CreditNoteAction.Edit);
            Limits.LinesAfterAdding(await Lines.CountAsync(s.Connection, s.Transaction, s.CompanyId, noteId), 1, "lines", Limits.MaxLinesPerDocument);
            var v = new Validation();
            var vendor = await VendorDefaults.OfAsync(s.Connection, s.Transaction, s.CompanyId, s.Row.VendorId);
            var line = await ResolveAsync(s.Connection, s.Transaction, s.CompanyId, vendor, r, s.Row.AreLinesWithTax, v);
            v.ThrowIfAny();
            var id = await Lines.InsertAsync(s.Connection, s.Transaction, s.CompanyId, noteId, line!, Now);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, noteId, Now);
            return await CreditNoteQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, noteId, id);
        });

    /// <summary>PATCH of a line: omitted fields keep their value, null clears; amounts are recomputed from the merged line.</summary>
    public Task<CreditNoteLineModel?> PatchAsync(Principal principal, Guid noteId, Guid lineId, CreditNoteLineRequest r, JsonElement body) =>
        DocumentCommand.RunAsync(db, CreditNoteQueries.Table, principal.CompanyId, noteId, async s =>
        {
            var current = await CreditNoteQueries.LineRowAsync(s.Connection, s.Transaction, s.CompanyId, noteId, lineId);
            if (current is null) return null;
            CreditNoteLifecycle.Ensure(s.Row.Status, CreditNoteAction.Edit);
            bool Has(string name) => body.TryGetProperty(name, out _);
            var merged = CreditNoteLineRules.Merge(current, r, s.Row.AreLinesWithTax, Has);
            var v = new Validation();
            // A line keeps its own references: the vendor's defaults apply only when a line is created.
            var line = await ResolveAsync(s.Connection, s.Transaction, s.CompanyId, null, merged, s.Row.AreLinesWithTax, v);
            v.ThrowIfAny();
            if (!Has("customProperties")) line = line! with { CustomPropertiesJson = current.CustomPropertiesJson };
            await Lines.ReplaceAsync(s.Connection, s.Transaction, s.CompanyId, noteId, lineId, line!, Now);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, noteId, Now);
            return await CreditNoteQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, noteId, lineId);
        });

    public Task<CreditNoteLineModel?> DeleteAsync(Principal principal, Guid noteId, Guid lineId) =>
        DocumentCommand.RunAsync(db, CreditNoteQueries.Table, principal.CompanyId, noteId, async s =>
        {
            var line = await CreditNoteQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, noteId, lineId);
            if (line is null) return null;
            CreditNoteLifecycle.Ensure(s.Row.Status, CreditNoteAction.Edit);
            await Lines.DeleteAsync(s.Connection, s.Transaction, s.CompanyId, noteId, lineId);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, noteId, Now);
            return line;
        });

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
