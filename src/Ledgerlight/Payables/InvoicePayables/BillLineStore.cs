using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>A bill's lines while it is editable: add, replace, delete; the bill's amount follows their sum.</summary>
public sealed class BillLineStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly LineReferenceFields Fields = new("accountId", "taxCodeId");
    static readonly PayableLineCommands<BillRow, BillLineModel> Commands = new(BillQueries.Table, PayableLineTable.Bills, "lineItems",
        bill => BillLifecycle.Ensure(bill.State, BillAction.Edit), bill => bill.VendorId, BillQueries.LineAsync);

    public async Task<BillLineModel?> GetAsync(Guid companyId, Guid billId, Guid lineId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await BillQueries.LineAsync(conn, null, companyId, billId, lineId);
    }

    public Task<BillLineModel?> AddAsync(Principal principal, Guid billId, BillLineRequest r) =>
        Commands.AddAsync(db, clock, principal.CompanyId, billId,
            (s, vendor, v) => ResolveAsync(s.Connection, s.Transaction, s.CompanyId, vendor, r, s.Row.LineItemsIncludeTax, v));

    /// <summary>PUT replaces the line: every field takes the request's value (absent means none).</summary>
    public Task<BillLineModel?> ReplaceAsync(Principal principal, Guid billId, Guid lineId, BillLineRequest r) =>
        Commands.ReplaceAsync(db, clock, principal.CompanyId, billId, lineId,
            s => BillQueries.LineAsync(s.Connection, s.Transaction, s.CompanyId, billId, lineId),
            async (s, _, v) =>
            {
                var vendor = await VendorDefaults.OfAsync(s.Connection, s.Transaction, s.CompanyId, s.Row.VendorId);
                return await ResolveAsync(s.Connection, s.Transaction, s.CompanyId, vendor, r, s.Row.LineItemsIncludeTax, v);
            });

    public Task<BillLineModel?> DeleteAsync(Principal principal, Guid billId, Guid lineId) =>
        Commands.DeleteAsync(db, clock, principal.CompanyId, billId, lineId);

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
