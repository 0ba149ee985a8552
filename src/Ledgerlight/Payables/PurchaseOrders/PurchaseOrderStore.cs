using static Ledgerlight.Ledger.DocumentContext;
using System.Text.Json;
using Dapper;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>A line as it will be written: the request merged over the stored line (PATCH) or on its own (create).</summary>
sealed record LineDraft(Guid? ExistingId, string? Description, Guid? CostCenterId, Guid? AccountId, Guid? TaxCodeId, decimal Quantity,
    long UnitPrice, object[] Path);

/// <summary>A PATCH of one line: the request, its raw JSON (null vs absent) and where errors point.</summary>
public sealed record LinePatch(Guid LineId, UpdatePurchaseOrderLineRequest Request, JsonElement Root, object[] Path);

public sealed class PurchaseOrderStore(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<PurchaseOrderModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<PurchaseOrderModel> CreateAsync(Principal principal, CreatePurchaseOrderRequest r)
    {
        Limits.LineCount(r.Lines?.Count, "lines", PurchaseOrderRules.MaxLines);
        var v = new Validation();
        v.Currency(r.Currency, "currency");
        v.Email(r.VendorEmail, "vendorEmail");
        v.MaxLength(r.VendorEmail, 255, "vendorEmail");
        v.MaxLength(r.Description, 1000, "description");
        v.MaxLength(r.DeliveryAddress, 1000, "deliveryAddress");
        CustomPropertyRequests.RefuseUnknownGroups(v, r.CustomProperties, "customProperties");
        var requested = r.Lines ?? [];
        var drafts = requested.Select((l, i) => NewLine(v, l, ["lines", i])).ToList();
        v.ThrowIfAny();

        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var refs = new Validation();
        var vendorEmail = r.VendorEmail;
        if (r.VendorId is { } vendorId)
        {
            var vendor = (await conn.QueryAsync<(Guid Id, string? Email)>(
                "SELECT id, email FROM vendors WHERE company_id = @companyId AND id = @vendorId", new { companyId, vendorId }, tx)).ToList();
            // The vendor's own address unless the order names one.
            if (vendor.Count == 0) refs.Add($"Vendor {vendorId} does not exist", "vendorId");
            else vendorEmail ??= vendor[0].Email;
        }
        await CheckOwnerAsync(conn, tx, companyId, r.OwnerId, refs);
        var amounts = await SettleAsync(conn, tx, companyId, drafts, refs);
        refs.ThrowIfAny();

        var currency = r.Currency ?? await conn.ExecuteScalarAsync<string>(
            "SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx);
        var now = Now();
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO purchase_orders (company_id, id, company_entity_id, vendor_id, owner_id, created_by, state, currency, description,
                                         vendor_email, delivery_address, delivery_date, purchase_order_date, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @VendorId, @OwnerId, @userId, 'IN_DRAFT', @currency, @Description, @vendorEmail,
                    @DeliveryAddress, @DeliveryDate, @PurchaseOrderDate, @now, @now)
            """, new
        {
            companyId, id, entityId, r.VendorId, r.OwnerId, userId = principal.UserId, currency, r.Description, vendorEmail,
            r.DeliveryAddress, r.DeliveryDate, r.PurchaseOrderDate, now,
        }, tx);
        await InsertLinesAsync(conn, tx, companyId, id, 0, drafts, amounts, now);
        await RecomputeTotalsAsync(conn, tx, companyId, id, now);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model!;
    }

    /// <summary>PATCH of the header on a draft: fields present change (null clears), absent ones stay.</summary>
    public async Task<PurchaseOrderModel?> PatchAsync(Principal principal, Guid id, UpdatePurchaseOrderRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var v = new Validation();
        foreach (var required in new[] { "companyEntityId", "currency" })
            if (body.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.Null)
                v.Add($"'{required}' cannot be cleared", required);
        v.Currency(r.Currency, "currency");
        v.Email(r.VendorEmail, "vendorEmail");
        v.MaxLength(r.VendorEmail, 255, "vendorEmail");
        v.MaxLength(r.Description, 1000, "description");
        v.MaxLength(r.DeliveryAddress, 1000, "deliveryAddress");
        CustomPropertyRequests.RefuseUnknownGroups(v, r.CustomProperties, "customProperties");
        v.ThrowIfAny();

        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        PurchaseOrderRules.EnsureEditable(row.State);
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        var refs = new Validation();
        if (r.VendorId is { } vendorId && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM vendors WHERE company_id = @companyId AND id = @vendorId", new { companyId, vendorId }, tx) == 0)
            refs.Add($"Vendor {vendorId} does not exist", "vendorId");
        await CheckOwnerAsync(conn, tx, companyId, r.OwnerId, refs);
        refs.ThrowIfAny();

        var now = Now();
        var sets = new List<string> { "updated_at = @now" };
        var p = new DynamicParameters(new { companyId, id, now });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("vendorId", "vendor_id", r.VendorId);
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("ownerId", "owner_id", r.OwnerId);
        Set("currency", "currency", r.Currency);
        Set("purchaseOrderDate", "purchase_order_date", r.PurchaseOrderDate);
        Set("vendorEmail", "vendor_email", r.VendorEmail);
        Set("deliveryAddress", "delivery_address", r.DeliveryAddress);
        Set("deliveryDate", "delivery_date", r.DeliveryDate);
        Set("description", "description", r.Description);
        await conn.ExecuteAsync($"UPDATE purchase_orders SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>lock / close / cancel / reset: one synchronous step of the state machine under the row lock.</summary>
    public async Task<PurchaseOrderModel?> TransitionAsync(Principal principal, Guid id, PurchaseOrderAction action)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var next = PurchaseOrderRules.Next(row.State, action);
        if (action == PurchaseOrderAction.Cancel && row.BilledAmount > 0)
            throw ApiException.Conflict($"Purchase order is {row.State} and bills have matched {row.BilledAmount} of it; close it instead of cancelling");
        if (action == PurchaseOrderAction.Lock)
        {
            var v = new Validation();
            if (row.VendorId is null) v.Required(null, "vendorId");
            if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id",
                    new { companyId, id }, tx) == 0)
                v.Add("A purchase order needs lines to be locked", "lines");
            v.ThrowIfAny(422, "The purchase order is not complete enough to lock");
        }
        var column = action switch
        {
            PurchaseOrderAction.Lock => "locked_at = @now",
            PurchaseOrderAction.Close => "closed_at = @now",
            PurchaseOrderAction.Cancel => "cancelled_at = @now",
            _ => "locked_at = NULL, closed_at = NULL",
        };
        await conn.ExecuteAsync($"UPDATE purchase_orders SET state = @next, {column}, updated_at = @now WHERE company_id = @companyId AND id = @id",
            new { companyId, id, next, now = Now() }, tx);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>Adds lines to a draft (one, or a bulk batch): the whole batch is checked before anything is written.</summary>
    public async Task<IReadOnlyList<PurchaseOrderLineModel>?> AddLinesAsync(Principal principal, Guid id,
        IReadOnlyList<(CreatePurchaseOrderLineRequest Request, object[] Path)> lines)
    {
        var v = new Validation();
        var drafts = lines.Select(l => NewLine(v, l.Request, l.Path)).ToList();
        v.ThrowIfAny();

        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        PurchaseOrderRules.EnsureEditable(row.State);
        var existing = await conn.QuerySingleAsync<(long Count, int MaxPosition)>(
            "SELECT count(*), coalesce(max(position), -1) FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id",
            new { companyId, id }, tx);
        if (existing.Count + drafts.Count > PurchaseOrderRules.MaxLines)
            throw ApiException.BadRequest($"At most {PurchaseOrderRules.MaxLines} lines per purchase order ({existing.Count} already)");
        var refs = new Validation();
        var amounts = await SettleAsync(conn, tx, companyId, drafts, refs);
        refs.ThrowIfAny();
        var now = Now();
        var ids = await InsertLinesAsync(conn, tx, companyId, id, existing.MaxPosition + 1, drafts, amounts, now);
        await RecomputeTotalsAsync(conn, tx, companyId, id, now);
        var all = await LoadLinesAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return ids.Select(i => all.First(l => l.Id == i).ToModel()).ToList();
    }

    /// <summary>
    /// PATCHes lines of a draft (one, or a batch). Unknown lines: 404 for a single line
    /// (<paramref name="batch"/> false), a 400 naming the element for a batch. Nothing is written
    /// unless every line is valid.
    /// </summary>
    public async Task<IReadOnlyList<PurchaseOrderLineModel>?> UpdateLinesAsync(Principal principal, Guid id, IReadOnlyList<LinePatch> patches, bool batch)
    {
        var v = new Validation();
        foreach (var patch in patches)
        {
            foreach (var required in new[] { "quantity", "unitPrice" })
                if (patch.Root.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.Null)
                    v.Add($"'{required}' cannot be cleared", [.. patch.Path, required]);
            PurchaseOrderRules.ValidateQuantity(v, patch.Request.Quantity, [.. patch.Path, "quantity"]);
            PurchaseOrderRules.ValidateUnitPrice(v, patch.Request.UnitPrice, [.. patch.Path, "unitPrice"]);
            v.MaxLength(patch.Request.Description, 1000, [.. patch.Path, "description"]);
            CustomPropertyRequests.RefuseUnknownGroups(v, patch.Request.CustomProperties, [.. patch.Path, "customProperties"]);
        }
        foreach (var duplicate in patches.GroupBy(p => p.LineId).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
            v.Add($"Line {duplicate.LineId} appears more than once", [.. duplicate.Path, "lineId"]);
        v.ThrowIfAny();

        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var stored = (await LoadLinesAsync(conn, tx, companyId, id)).ToDictionary(l => l.Id);
        var refs = new Validation();
        var drafts = new List<LineDraft>();
        foreach (var patch in patches)
        {
            if (!stored.TryGetValue(patch.LineId, out var line))
            {
                if (!batch) throw ApiException.NotFound("Purchase order line");
                refs.Add($"Line {patch.LineId} is not a line of this purchase order", [.. patch.Path, "lineId"]);
                continue;
            }
            var r = patch.Request;
            bool Has(string name) => patch.Root.TryGetProperty(name, out _);
            drafts.Add(new LineDraft(line.Id,
                Has("description") ? r.Description : line.Description,
                Has("costCenterId") ? r.CostCenterId : line.CostCenterId,
                Has("accountId") ? r.AccountId : line.AccountId,
                Has("taxCodeId") ? r.TaxCodeId : line.TaxCodeId,
                r.Quantity ?? line.Quantity,
                r.UnitPrice ?? line.UnitPrice,
                patch.Path));
        }
        PurchaseOrderRules.EnsureEditable(row.State);
        refs.ThrowIfAny();
        var amounts = await SettleAsync(conn, tx, companyId, drafts, refs);
        refs.ThrowIfAny();

        var now = Now();
        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            await conn.ExecuteAsync("""
                UPDATE purchase_order_lines
                   SET description = @Description, cost_center_id = @CostCenterId, account_id = @AccountId, tax_code_id = @TaxCodeId,
                       quantity = @Quantity, unit_price = @UnitPrice, net_amount = @net, tax_amount = @tax, amount = @gross, updated_at = @now
                 WHERE company_id = @companyId AND id = @ExistingId
                """, new
            {
                companyId, d.ExistingId, d.Description, d.CostCenterId, d.AccountId, d.TaxCodeId, d.Quantity, d.UnitPrice,
                net = amounts[i].Net, tax = amounts[i].Tax, gross = amounts[i].Gross, now,
            }, tx);
        }
        await RecomputeTotalsAsync(conn, tx, companyId, id, now);
        var all = await LoadLinesAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return drafts.Select(d => all.First(l => l.Id == d.ExistingId).ToModel()).ToList();
    }

    /// <summary>Deletes a draft's line; false when the order or the line does not exist. A line bills have matched stays.</summary>
    public async Task<bool> DeleteLineAsync(Principal principal, Guid id, Guid lineId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return false;
        var billed = await conn.ExecuteScalarAsync<long?>(
            "SELECT billed_amount FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id AND id = @lineId",
            new { companyId, id, lineId }, tx);
        if (billed is null) return false;
        PurchaseOrderRules.EnsureEditable(row.State);
        if (billed > 0) throw ApiException.Conflict($"Bills have matched {billed} of this line; it cannot be deleted");
        await conn.ExecuteAsync("DELETE FROM purchase_order_lines WHERE company_id = @companyId AND id = @lineId", new { companyId, lineId }, tx);
        await RecomputeTotalsAsync(conn, tx, companyId, id, Now());
        await tx.CommitWriteAsync();
        return true;
    }

    /// <summary>Lines of the given orders with their account and tax code labels, for the list.</summary>
    public async Task<ILookup<Guid, PurchaseOrderLineRow>> LinesForAsync(Guid companyId, IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0) return Array.Empty<PurchaseOrderLineRow>().ToLookup(l => l.PurchaseOrderId);
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<PurchaseOrderLineRow>(
            $"SELECT {PurchaseOrderLineRow.Columns} FROM {PurchaseOrderLineRow.From} " +
            "WHERE l.company_id = @companyId AND l.purchase_order_id = ANY(@ids) ORDER BY l.purchase_order_id, l.position",
            new { companyId, ids = ids.ToArray() });
        return rows.ToLookup(l => l.PurchaseOrderId);
    }

    static LineDraft NewLine(Validation v, CreatePurchaseOrderLineRequest l, object[] path)
    {
        v.Required(l.UnitPrice, [.. path, "unitPrice"]);
        PurchaseOrderRules.ValidateQuantity(v, l.Quantity, [.. path, "quantity"]);
        PurchaseOrderRules.ValidateUnitPrice(v, l.UnitPrice, [.. path, "unitPrice"]);
        v.MaxLength(l.Description, 1000, [.. path, "description"]);
        CustomPropertyRequests.RefuseUnknownGroups(v, l.CustomProperties, [.. path, "customProperties"]);
        return new LineDraft(null, l.Description, l.CostCenterId, l.AccountId, l.TaxCodeId, l.Quantity ?? 1m, l.UnitPrice ?? 0, path);
    }

    /// <summary>Checks each line's account and tax code belong to the company and settles its amounts.</summary>
    static async Task<List<LineAmounts>> SettleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, List<LineDraft> drafts, Validation v)
    {
        var accountIds = drafts.Where(d => d.AccountId is not null).Select(d => d.AccountId!.Value).Distinct().ToArray();
        var taxIds = drafts.Where(d => d.TaxCodeId is not null).Select(d => d.TaxCodeId!.Value).Distinct().ToArray();
        var accounts = (await conn.QueryAsync<Guid>("SELECT id FROM ledger_accounts WHERE company_id = @companyId AND id = ANY(@accountIds)",
            new { companyId, accountIds }, tx)).ToHashSet();
        var rates = (await conn.QueryAsync<(Guid Id, decimal Rate)>(
                "SELECT id, rate_percent FROM tax_codes WHERE company_id = @companyId AND id = ANY(@taxIds)", new { companyId, taxIds }, tx))
            .ToDictionary(t => t.Id, t => t.Rate);
        var result = new List<LineAmounts>();
        foreach (var d in drafts)
        {
            if (d.AccountId is { } a && !accounts.Contains(a)) v.Add($"Ledger account {a} does not exist", [.. d.Path, "accountId"]);
            decimal? rate = null;
            if (d.TaxCodeId is { } t)
            {
                if (rates.TryGetValue(t, out var r)) rate = r;
                else v.Add($"Tax code {t} does not exist", [.. d.Path, "taxCodeId"]);
            }
            var amounts = PurchaseOrderRules.Amounts(d.Quantity, d.UnitPrice, rate);
            if (amounts is null) v.Add($"quantity × unitPrice exceeds the maximum amount of {Limits.MaxAmount} minor units", [.. d.Path, "quantity"]);
            result.Add(amounts ?? new LineAmounts(0, 0, 0));
        }
        return result;
    }

    static async Task<List<Guid>> InsertLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid orderId, int firstPosition,
        List<LineDraft> drafts, List<LineAmounts> amounts, DateTime now)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            var id = Ids.New();
            ids.Add(id);
            await conn.ExecuteAsync("""
                INSERT INTO purchase_order_lines (company_id, id, purchase_order_id, position, description, cost_center_id, account_id, tax_code_id,
                                                  quantity, unit_price, net_amount, tax_amount, amount, created_at, updated_at)
                VALUES (@companyId, @id, @orderId, @position, @Description, @CostCenterId, @AccountId, @TaxCodeId, @Quantity, @UnitPrice,
                        @net, @tax, @gross, @now, @now)
                """, new
            {
                companyId, id, orderId, position = firstPosition + i, d.Description, d.CostCenterId, d.AccountId, d.TaxCodeId, d.Quantity,
                d.UnitPrice, net = amounts[i].Net, tax = amounts[i].Tax, gross = amounts[i].Gross, now,
            }, tx);
        }
        return ids;
    }

    /// <summary>Order totals are the sums of its lines, kept in the same transaction as the line change.</summary>
    static Task RecomputeTotalsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, DateTime now) =>
        conn.ExecuteAsync("""
            UPDATE purchase_orders p
               SET total_net_amount = s.net, total_tax_amount = s.tax, total_amount = s.gross, updated_at = @now
              FROM (SELECT coalesce(sum(net_amount), 0) AS net, coalesce(sum(tax_amount), 0) AS tax, coalesce(sum(amount), 0) AS gross
                      FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id) s
             WHERE p.company_id = @companyId AND p.id = @id
            """, new { companyId, id, now }, tx);

    static async Task CheckOwnerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? ownerId, Validation v)
    {
        if (ownerId is { } owner && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM users WHERE company_id = @companyId AND id = @owner", new { companyId, owner }, tx) == 0)
            v.Add($"User {owner} does not exist", "ownerId");
    }

    internal static Task<PurchaseOrderRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<PurchaseOrderRow>(
            $"SELECT {PurchaseOrderRow.Columns} FROM purchase_orders p WHERE p.company_id = @companyId AND p.id = @id FOR UPDATE",
            new { companyId, id }, tx);

    static async Task<List<PurchaseOrderLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        (await conn.QueryAsync<PurchaseOrderLineRow>(
            $"SELECT {PurchaseOrderLineRow.Columns} FROM {PurchaseOrderLineRow.From} " +
            "WHERE l.company_id = @companyId AND l.purchase_order_id = @id ORDER BY l.position",
            new { companyId, id }, tx)).ToList();

    static async Task<PurchaseOrderModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<PurchaseOrderRow>(
            $"SELECT {PurchaseOrderRow.Columns} FROM purchase_orders p WHERE p.company_id = @companyId AND p.id = @id", new { companyId, id }, tx);
        return row?.ToModel(await LoadLinesAsync(conn, tx, companyId, id));
    }

    DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
