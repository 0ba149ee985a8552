namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>A PATCH of one line: the request, its raw JSON (null vs absent) and where errors point.</summary>
public sealed record LinePatch(Guid LineId, UpdatePurchaseOrderLineRequest Request, JsonElement Root, object[] Path);

/// <summary>A draft purchase order's lines: add (one or a bulk batch), PATCH (one or a batch), delete; the order's totals follow.</summary>
public sealed class PurchaseOrderLineStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly string[] NotClearable = ["quantity", "unitPrice"];
    DateTime Now() => clock.GetUtcNow().UtcDateTime;

    /// <summary>Adds lines to a draft (one, or a bulk batch): the whole batch is checked before anything is written.</summary>
    public Task<IReadOnlyList<PurchaseOrderLineModel>?> AddAsync(Principal principal, Guid id,
        IReadOnlyList<(CreatePurchaseOrderLineRequest Request, object[] Path)> lines)
    {
        var v = new Validation();
        var drafts = lines.Select(l => NewLine(v, l.Request, l.Path)).ToList();
        v.ThrowIfAny();
        return DocumentCommand.RunAsync(db, PurchaseOrderQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
            PurchaseOrderLifecycle.Ensure(s.Row.State, PurchaseOrderAction.Edit);
            var existing = await conn.QuerySingleAsync<(long Count, int MaxPosition)>(
                "SELECT count(*), coalesce(max(position), -1) FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id",
                new { companyId, id }, tx);
            if (existing.Count + drafts.Count > PurchaseOrderRules.MaxLines)
                throw ApiException.BadRequest($"At most {PurchaseOrderRules.MaxLines} lines per purchase order ({existing.Count} already)");
            var refs = new Validation();
            var amounts = await PurchaseOrderQueries.SettleAsync(conn, tx, companyId, drafts, refs);
            refs.ThrowIfAny();
            var now = Now();
            var ids = await PurchaseOrderQueries.InsertLinesAsync(conn, tx, companyId, id, existing.MaxPosition + 1, drafts, amounts, now);
            await PurchaseOrderQueries.RecomputeTotalsAsync(conn, tx, companyId, id, now);
            return await ModelsAsync(conn, tx, companyId, id, ids);
        });
    }

    /// <summary>
    /// PATCHes lines of a draft (one, or a batch). Unknown lines: 404 for a single line
    /// (<paramref name="batch"/> false), a 400 naming the element for a batch. Nothing is written
    /// unless every line is valid.
    /// </summary>
    public Task<IReadOnlyList<PurchaseOrderLineModel>?> UpdateAsync(Principal principal, Guid id, IReadOnlyList<LinePatch> patches, bool batch)
    {
        CheckPatches(patches);
        return DocumentCommand.RunAsync(db, PurchaseOrderQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
            var stored = (await PurchaseOrderQueries.LinesAsync(conn, tx, companyId, [id])).ToDictionary(l => l.Id);
            var refs = new Validation();
            var drafts = new List<LineDraft>();
            foreach (var patch in patches)
            {
                if (stored.TryGetValue(patch.LineId, out var line)) drafts.Add(Merge(line, patch));
                else if (!batch) throw ApiException.NotFound("Purchase order line");
                else refs.Add($"Line {patch.LineId} is not a line of this purchase order", [.. patch.Path, "lineId"]);
            }
            PurchaseOrderLifecycle.Ensure(s.Row.State, PurchaseOrderAction.Edit);
            refs.ThrowIfAny();
            var amounts = await PurchaseOrderQueries.SettleAsync(conn, tx, companyId, drafts, refs);
            refs.ThrowIfAny();
            var now = Now();
            for (var i = 0; i < drafts.Count; i++)
            {
                var d = drafts[i];
                await conn.ExecuteAsync("""
                    UPDATE purchase_order_lines
                       SET description = @Description, cost_center_id = @CostCenterId, account_id = @AccountId, tax_code_id = @TaxCodeId,
                           quantity = @Quantity, unit_price = @UnitPrice, net_amount = @net, tax_amount = @tax, amount = @gross,
                           custom_properties = @CustomPropertiesJson::jsonb, updated_at = @now
                     WHERE company_id = @companyId AND purchase_order_id = @id AND id = @ExistingId
                    """, new
                {
                    companyId, id, d.ExistingId, d.Description, d.CostCenterId, d.AccountId, d.TaxCodeId, d.Quantity, d.UnitPrice,
                    net = amounts[i].Net, tax = amounts[i].Tax, gross = amounts[i].Gross, d.CustomPropertiesJson, now,
                }, tx);
            }
            await PurchaseOrderQueries.RecomputeTotalsAsync(conn, tx, companyId, id, now);
            return await ModelsAsync(conn, tx, companyId, id, drafts.Select(d => d.ExistingId!.Value).ToList());
        });
    }

    static void CheckPatches(IReadOnlyList<LinePatch> patches)
    {
        var v = new Validation();
        foreach (var patch in patches)
        {
            v.RefuseClearing(patch.Root, NotClearable, patch.Path);
            PurchaseOrderRules.ValidateQuantity(v, patch.Request.Quantity, [.. patch.Path, "quantity"]);
            PurchaseOrderRules.ValidateUnitPrice(v, patch.Request.UnitPrice, [.. patch.Path, "unitPrice"]);
            v.MaxLength(patch.Request.Description, 1000, [.. patch.Path, "description"]);
            CustomPropertyRequests.CheckShape(v, patch.Request.CustomProperties, [.. patch.Path, "customProperties"]);
        }
        foreach (var duplicate in patches.GroupBy(p => p.LineId).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
            v.Add($"Line {duplicate.LineId} appears more than once", [.. duplicate.Path, "lineId"]);
        v.ThrowIfAny();
    }

    /// <summary>The stored line with the PATCH over it: fields sent win (null clears), the rest stay.</summary>
    static LineDraft Merge(PurchaseOrderLineRow line, LinePatch patch)
    {
        var r = patch.Request;
        bool Has(string name) => patch.Root.TryGetProperty(name, out _);
        return new LineDraft(line.Id,
            Has("description") ? r.Description : line.Description,
            Has("costCenterId") ? r.CostCenterId : line.CostCenterId,
            Has("accountId") ? r.AccountId : line.AccountId,
            Has("taxCodeId") ? r.TaxCodeId : line.TaxCodeId,
            r.Quantity ?? line.Quantity,
            r.UnitPrice ?? line.UnitPrice,
            Has("customProperties") ? CustomPropertyRequests.ToJson(r.CustomProperties) : line.CustomPropertiesJson,
            r.CustomProperties,
            patch.Path);
    }

    /// <summary>Deletes a draft's line; false when the order or the line does not exist. A line bills have matched stays.</summary>
    public Task<bool> DeleteAsync(Principal principal, Guid id, Guid lineId) =>
        DocumentCommand.TryRunAsync(db, PurchaseOrderQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
            var billed = await conn.ExecuteScalarAsync<long?>(
                "SELECT billed_amount FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id AND id = @lineId",
                new { companyId, id, lineId }, tx);
            if (billed is null) return false;
            PurchaseOrderLifecycle.Ensure(s.Row.State, PurchaseOrderAction.Edit);
            if (billed > 0) throw ApiException.Conflict($"Bills have matched {billed} of this line; it cannot be deleted");
            await conn.ExecuteAsync("DELETE FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id AND id = @lineId",
                new { companyId, id, lineId }, tx);
            await PurchaseOrderQueries.RecomputeTotalsAsync(conn, tx, companyId, id, Now());
            return true;
        });

    /// <summary>Lines of the given orders with their account and tax code labels, for the list.</summary>
    public async Task<ILookup<Guid, PurchaseOrderLineRow>> LinesForAsync(Guid companyId, IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0) return Array.Empty<PurchaseOrderLineRow>().ToLookup(l => l.PurchaseOrderId);
        await using var conn = await db.OpenConnectionAsync();
        return (await PurchaseOrderQueries.LinesAsync(conn, null, companyId, ids.ToArray())).ToLookup(l => l.PurchaseOrderId);
    }

    internal static LineDraft NewLine(Validation v, CreatePurchaseOrderLineRequest l, object[] path)
    {
        v.Required(l.UnitPrice, [.. path, "unitPrice"]);
        PurchaseOrderRules.ValidateQuantity(v, l.Quantity, [.. path, "quantity"]);
        PurchaseOrderRules.ValidateUnitPrice(v, l.UnitPrice, [.. path, "unitPrice"]);
        v.MaxLength(l.Description, 1000, [.. path, "description"]);
        CustomPropertyRequests.CheckShape(v, l.CustomProperties, [.. path, "customProperties"]);
        return new LineDraft(null, l.Description, l.CostCenterId, l.AccountId, l.TaxCodeId, l.Quantity ?? 1m, l.UnitPrice ?? 0,
            CustomPropertyRequests.ToJson(l.CustomProperties), l.CustomProperties, path);
    }

    static async Task<IReadOnlyList<PurchaseOrderLineModel>> ModelsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id,
        IReadOnlyList<Guid> lineIds)
    {
        var all = (await PurchaseOrderQueries.LinesAsync(conn, tx, companyId, [id])).ToDictionary(l => l.Id);
        return await PurchaseOrderQueries.LineModelsAsync(conn, tx, companyId, lineIds.Select(i => all[i]).ToList());
    }
}
