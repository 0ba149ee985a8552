using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>A bill's lines while it is editable: add, replace, delete; the bill's amount follows their sum.</summary>
public sealed class BillLineStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly LineReferenceFields Fields = new("accountId", "taxCodeId");
    static readonly PayableLineTable Lines = PayableLineTable.Bills;
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<BillLineModel?> GetAsync(Guid companyId, Guid billId, Guid lineId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await BillQueries.LineAsync(conn, null, companyId, billId, lineId);
    }

    public Task<BillLineModel?> AddAsync(Principal principal, Guid billId, BillLineRequest r) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, billId, async s =>
        {
            BillLifecycle.Ensure(s.Row.State, BillAction.Edit);
            Limits.LinesAfterAdding(await Lines.CountAsync(s.Connection, s.Transaction, s.CompanyId, billId), 1, "lineItems", Limits.MaxLinesPerDocument);
            var line = await ResolveOneAsync(s, r);
            var id = await Lines.InsertAsync(s.Connection, s.Transaction, s.CompanyId, billId, line, Now);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, billId, Now);
            return await BillQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, billId, id);
        });

    /// <summary>PUT replaces the line: every field takes the request's value (absent means none).</summary>
    public Task<BillLineModel?> ReplaceAsync(Principal principal, Guid billId, Guid lineId, BillLineRequest r) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, billId, async s =>
        {
            if (await BillQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, billId, lineId) is null) return null;
            BillLifecycle.Ensure(s.Row.State, BillAction.Edit);
            var line = await ResolveOneAsync(s, r);
            await Lines.ReplaceAsync(s.Connection, s.Transaction, s.CompanyId, billId, lineId, line, Now);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, billId, Now);
            return await BillQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, billId, lineId);
        });

    public Task<BillLineModel?> DeleteAsync(Principal principal, Guid billId, Guid lineId) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, billId, async s =>
        {
            var line = await BillQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, billId, lineId);
            if (line is null) return null;
            BillLifecycle.Ensure(s.Row.State, BillAction.Edit);
            await Lines.DeleteAsync(s.Connection, s.Transaction, s.CompanyId, billId, lineId);
            await Lines.RecomputeAmountAsync(s.Connection, s.Transaction, s.CompanyId, billId, Now);
            return line;
        });

    async Task<PayableLineValues> ResolveOneAsync(DocumentScope<BillRow> s, BillLineRequest r)
    {
        var v = new Validation();
        var vendor = await VendorDefaults.OfAsync(s.Connection, s.Transaction, s.CompanyId, s.Row.VendorId);
        var line = await ResolveAsync(s.Connection, s.Transaction, s.CompanyId, vendor, r, s.Row.LineItemsIncludeTax, v);
        v.ThrowIfAny();
        return line!;
    }

    /// <summary>Checks references and custom properties and computes amounts; null (with errors in v) when the line is not usable.</summary>
    public static async Task<PayableLineValues?> ResolveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorDefaults? vendor,
        BillLineRequest r, bool includeTax, Validation v, params object[] path)
    {
        v.MaxLength(r.Description, 1000, [.. path, "description"]);
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "BILL", r.CustomProperties, v, [.. path, "customProperties"]);
        if (r.AmortizationStartDate is { } s && r.AmortizationEndDate is { } e && e < s)
            v.Add("'amortizationEndDate' must not be before 'amortizationStartDate'", [.. path, "amortizationEndDate"]);
        var refs = await PayableLineReferences.ResolveAsync(conn, tx, companyId, vendor, r.AccountId, r.TaxCodeId, Fields, v, path);
        var amounts = BillLineRules.Compute(r.Amount, r.NetAmount, r.TaxAmount, refs.RatePercent, includeTax, v, path);
        return refs.Ok && amounts is not null ? BillQueries.Values(r, amounts, refs) : null;
    }
}
