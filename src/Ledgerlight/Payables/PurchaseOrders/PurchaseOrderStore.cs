using Ledgerlight.Payables.PayableDocuments;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>
/// Purchase orders: create, read, PATCH of a draft's header and the lifecycle's transitions (<see cref="PurchaseOrderLifecycle"/>).
/// Lines are <see cref="PurchaseOrderLineStore"/>; bills consume orders through <see cref="PurchaseOrderBilling"/>.
/// </summary>
public sealed class PurchaseOrderStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly string[] NotClearable = ["companyEntityId", "currency"];
    DateTime Now() => clock.GetUtcNow().UtcDateTime;

    public async Task<PurchaseOrderModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await PurchaseOrderQueries.ModelAsync(conn, null, companyId, id);
    }

    static void CheckHeader(Validation v, string? currency, string? vendorEmail, string? description, string? deliveryAddress,
        IReadOnlyList<SetCustomPropertyRequest>? properties)
    {
        v.Currency(currency, "currency");
        v.Email(vendorEmail, "vendorEmail");
        v.MaxLength(vendorEmail, 255, "vendorEmail");
        v.MaxLength(description, 1000, "description");
        v.MaxLength(deliveryAddress, 1000, "deliveryAddress");
        CustomPropertyRequests.CheckShape(v, properties, "customProperties");
    }

    public async Task<PurchaseOrderModel> CreateAsync(Principal principal, CreatePurchaseOrderRequest r)
    {
        Limits.LineCount(r.Lines?.Count, "lines", PurchaseOrderRules.MaxLines);
        var v = new Validation();
        CheckHeader(v, r.Currency, r.VendorEmail, r.Description, r.DeliveryAddress, r.CustomProperties);
        var drafts = (r.Lines ?? []).Select((l, i) => PurchaseOrderLineStore.NewLine(v, l, ["lines", i])).ToList();
        v.ThrowIfAny();

        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var refs = new Validation();
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "PURCHASE_ORDER", r.CustomProperties, refs, "customProperties");
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
        var amounts = await PurchaseOrderQueries.SettleAsync(conn, tx, companyId, drafts, refs);
        refs.ThrowIfAny();

        var currency = await PayableWrites.CurrencyOrBaseAsync(conn, tx, companyId, r.Currency);
        var now = Now();
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO purchase_orders (company_id, id, company_entity_id, vendor_id, owner_id, created_by, state, currency, description,
                                         vendor_email, delivery_address, delivery_date, purchase_order_date, custom_properties, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @VendorId, @OwnerId, @userId, @state, @currency, @Description, @vendorEmail,
                    @DeliveryAddress, @DeliveryDate, @PurchaseOrderDate, @customProperties::jsonb, @now, @now)
            """, new
        {
            companyId, id, entityId, r.VendorId, r.OwnerId, userId = principal.UserId, state = PurchaseOrderState.InDraft, currency, r.Description,
            vendorEmail, r.DeliveryAddress, r.DeliveryDate, r.PurchaseOrderDate, now, customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
        }, tx);
        await PurchaseOrderQueries.InsertLinesAsync(conn, tx, companyId, id, 0, drafts, amounts, now);
        await PurchaseOrderQueries.RecomputeTotalsAsync(conn, tx, companyId, id, now);
        var model = await PurchaseOrderQueries.ModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model!;
    }

    /// <summary>PATCH of the header on a draft: fields present change (null clears), absent ones stay.</summary>
    public async Task<PurchaseOrderModel?> PatchAsync(Principal principal, Guid id, UpdatePurchaseOrderRequest r, JsonElement body)
    {
        var v = new Validation();
        v.RefuseClearing(body, NotClearable);
        CheckHeader(v, r.Currency, r.VendorEmail, r.Description, r.DeliveryAddress, r.CustomProperties);
        v.ThrowIfAny();
        return await DocumentCommand.RunAsync(db, PurchaseOrderQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
            PurchaseOrderLifecycle.Ensure(s.Row.State, PurchaseOrderAction.Edit);
            if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
            var refs = new Validation();
            await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "PURCHASE_ORDER", r.CustomProperties, refs, "customProperties");
            if (r.VendorId is { } vendorId && !await conn.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM vendors WHERE company_id = @companyId AND id = @vendorId)", new { companyId, vendorId }, tx))
                refs.Add($"Vendor {vendorId} does not exist", "vendorId");
            await CheckOwnerAsync(conn, tx, companyId, r.OwnerId, refs);
            refs.ThrowIfAny();

            var set = new PatchSet(body, new { companyId, id, now = Now() }).Raw("updated_at = @now")
                .Columns(r, nameof(r.VendorId), nameof(r.CompanyEntityId), nameof(r.OwnerId), nameof(r.Currency), nameof(r.PurchaseOrderDate),
                    nameof(r.VendorEmail), nameof(r.DeliveryAddress), nameof(r.DeliveryDate), nameof(r.Description))
                .CustomProperties(r.CustomProperties);
            await conn.ExecuteAsync($"UPDATE purchase_orders SET {set.Clause} WHERE company_id = @companyId AND id = @id", set.Parameters, tx);
            return await PurchaseOrderQueries.ModelAsync(conn, tx, companyId, id);
        });
    }

    /// <summary>lock / close / cancel / reset: one synchronous step of the state machine under the row lock.</summary>
    public Task<PurchaseOrderModel?> TransitionAsync(Principal principal, Guid id, PurchaseOrderAction action) =>
        DocumentCommand.RunAsync(db, PurchaseOrderQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var next = PurchaseOrderLifecycle.Next(row.State, action);
            if (action == PurchaseOrderAction.Cancel) PurchaseOrderLifecycle.CheckCancel(row.State, row.BilledAmount);
            if (action == PurchaseOrderAction.Lock)
            {
                var v = new Validation();
                if (row.VendorId is null) v.Required(null, "vendorId");
                if (!await conn.ExecuteScalarAsync<bool>(
                        "SELECT EXISTS (SELECT 1 FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id)", new { companyId, id }, tx))
                    v.Add("A purchase order needs lines to be locked", "lines");
                v.ThrowIfAny(422, "The purchase order is not complete enough to lock");
            }
            await conn.ExecuteAsync(
                $"UPDATE purchase_orders SET state = @next, {PurchaseOrderLifecycle.Timestamps(action)}, updated_at = @now WHERE company_id = @companyId AND id = @id",
                new { companyId, id, next, now = Now() }, tx);
            return await PurchaseOrderQueries.ModelAsync(conn, tx, companyId, id);
        });

    static async Task CheckOwnerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? ownerId, Validation v)
    {
        if (ownerId is { } owner && !await conn.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM users WHERE company_id = @companyId AND id = @owner)", new { companyId, owner }, tx))
            v.Add($"User {owner} does not exist", "ownerId");
    }
}
