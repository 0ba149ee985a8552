using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.PurchaseOrders;

public static class PurchaseOrderApi
{
    const string Area = "purchase-orders";

    /// <summary>Sorts and filters as listed in listPurchaseOrders' parameter descriptions.</summary>
    public static readonly ListSpec<PurchaseOrderRow> Spec = ListFields.SpecFrom<PurchaseOrderRow>("p", PurchaseOrderRow.ListFrom,
        PurchaseOrderRow.ListColumns, p => p.Id,
        [
            (ListFields.Id("p", "purchaseOrderId"), p => p.Id),
            (new("erpNumber", "p.erp_number", FieldType.Text, Nullable: true), p => p.ErpNumber),
            (ListFields.VendorName(), p => p.VendorName),
            (new("ownerName", PurchaseOrderRow.OwnerNameSql, FieldType.Text, Nullable: true), p => p.OwnerName),
            (new("ownerId", "p.owner_id", FieldType.Uuid, Nullable: true), p => p.OwnerId),
            (ListFields.EntityId("p"), p => p.CompanyEntityId),
            (ListFields.State("p"), p => p.State),
            (new("closedAt", "p.closed_at", FieldType.Timestamp, Nullable: true), p => p.ClosedAt),
            (new("cancelledAt", "p.cancelled_at", FieldType.Timestamp, Nullable: true), p => p.CancelledAt),
            (ListFields.CreatedAt("p"), p => p.CreatedAt),
            (new("totalAmount", "p.total_amount", FieldType.Integer), p => p.TotalAmount),
        ],
        [
            ListFields.Id("p", "purchaseOrderId"),
            ListFields.VendorId("p"),
            new("ownerId", "p.owner_id", FieldType.Uuid, Nullable: true),
            ListFields.State("p"),
            new("erpNumber", "p.erp_number", FieldType.Text, Nullable: true),
            ListFields.UpdatedAt("p"),
        ],
        ("createdAt", SortDirection.Desc),
        idName: "purchaseOrderId");

    /// <param name="orders">The group at /v1/purchase-orders.</param>
    /// <param name="order">The group at /v1/purchase-orders/{purchaseOrderId}.</param>
    public static void MapPurchaseOrderApi(this IEndpointRouteBuilder orders, IEndpointRouteBuilder order)
    {
        orders.MapPage<PurchaseOrderRow, BffPurchaseOrderModel>("", Spec, async (c, rows) =>
            {
                var lines = await c.Service<PurchaseOrderLineStore>().LinesForAsync(c.CompanyId, rows.Select(p => p.Id).ToList());
                return rows.Select(p => p.ToBffModel(lines[p.Id].ToList())).ToList();
            })
            .WithName("listPurchaseOrders")
            .RequirePermission(Permissions.Read(Area));

        orders.MapPost("", async (HttpContext ctx, PurchaseOrderStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(), await RequestBody.ReadAsync<CreatePurchaseOrderRequest>(ctx))))
            .WithName("createPurchaseOrder")
            .RequirePermission(Permissions.Write(Area));

        order.MapGet("", async (string purchaseOrderId, HttpContext ctx, PurchaseOrderStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(purchaseOrderId, "purchaseOrderId")) ?? throw NotFound()))
            .WithName("getPurchaseOrder")
            .RequirePermission(Permissions.Read(Area));

        order.MapPatch("", async (string purchaseOrderId, HttpContext ctx, PurchaseOrderStore store) =>
            {
                var id = Ids.Parse(purchaseOrderId, "purchaseOrderId");
                var (request, root) = await RequestBody.ReadWithRootAsync<UpdatePurchaseOrderRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, root) ?? throw NotFound());
            })
            .WithName("updatePurchaseOrder")
            .RequirePermission(Permissions.Write(Area));

        MapTransition(order, "lock", "locksPurchaseOrder", PurchaseOrderAction.Lock);
        MapTransition(order, "close", "closePurchaseOrder", PurchaseOrderAction.Close);
        MapTransition(order, "cancel", "cancelPurchaseOrder", PurchaseOrderAction.Cancel);
        MapTransition(order, "reset", "resetPurchaseOrder", PurchaseOrderAction.Reset);

        MapLines(order);

    }

    /// <summary>A draft order's lines: one or in bulk.</summary>
    static void MapLines(IEndpointRouteBuilder order)
    {

        order.MapPost("/lines", async (string purchaseOrderId, HttpContext ctx, PurchaseOrderLineStore lineStore) =>
            {
                var id = Ids.Parse(purchaseOrderId, "purchaseOrderId");
                var request = await RequestBody.ReadAsync<CreatePurchaseOrderLineRequest>(ctx);
                var lines = await lineStore.AddAsync(ctx.Principal(), id, [(request, Array.Empty<object>())]) ?? throw NotFound();
                return ApiResults.Ok(lines[0]);
            })
            .WithName("createPurchaseOrderLine")
            .RequirePermission(Permissions.Write(Area));

        order.MapPost("/lines/bulk", async (string purchaseOrderId, HttpContext ctx, PurchaseOrderLineStore lineStore) =>
            {
                var id = Ids.Parse(purchaseOrderId, "purchaseOrderId");
                var items = await ReadArrayAsync<CreatePurchaseOrderLineRequest>(ctx);
                var lines = await lineStore.AddAsync(ctx.Principal(), id, items.Select((item, i) => (item.Value, new object[] { i })).ToList())
                            ?? throw NotFound();
                return ApiResults.Ok(lines);
            })
            .WithName("bulkCreatePurchaseOrderLines")
            .RequirePermission(Permissions.Write(Area));

        order.MapPut("/lines/bulk", async (string purchaseOrderId, HttpContext ctx, PurchaseOrderLineStore lineStore) =>
            {
                var id = Ids.Parse(purchaseOrderId, "purchaseOrderId");
                var items = await ReadArrayAsync<UpdatePurchaseOrderLineRequest>(ctx);
                var v = new Validation();
                for (var i = 0; i < items.Count; i++) v.Required(items[i].Value.LineId, i, "lineId");
                v.ThrowIfAny();
                var patches = items.Select((item, i) => new LinePatch(item.Value.LineId!.Value, item.Value, item.Root, [i])).ToList();
                return ApiResults.Ok(await lineStore.UpdateAsync(ctx.Principal(), id, patches, batch: true) ?? throw NotFound());
            })
            .WithName("batchUpdatePurchaseOrderLines")
            .RequirePermission(Permissions.Write(Area));

        order.MapPatch("/lines/{lineId}", async (string purchaseOrderId, string lineId, HttpContext ctx,
                PurchaseOrderLineStore lineStore) =>
            {
                var id = Ids.Parse(purchaseOrderId, "purchaseOrderId");
                var line = Ids.Parse(lineId, "lineId");
                var (request, root) = await RequestBody.ReadWithRootAsync<UpdatePurchaseOrderLineRequest>(ctx);
                var lines = await lineStore.UpdateAsync(ctx.Principal(), id, [new LinePatch(line, request, root, [])], batch: false)
                            ?? throw NotFound();
                return ApiResults.Ok(lines[0]);
            })
            .WithName("updatePurchaseOrderLine")
            .RequirePermission(Permissions.Write(Area));

        order.MapDelete("/lines/{lineId}", async (string purchaseOrderId, string lineId, HttpContext ctx,
                PurchaseOrderLineStore lineStore) =>
            {
                var id = Ids.Parse(purchaseOrderId, "purchaseOrderId");
                var line = Ids.Parse(lineId, "lineId");
                if (!await lineStore.DeleteAsync(ctx.Principal(), id, line)) throw ApiException.NotFound("Purchase order line");
                // Light documents no body; an empty object keeps JSON clients that always parse happy.
                return ApiResults.Ok(new { });
            })
            .WithName("deletePurchaseOrderLine")
            .RequirePermission(Permissions.Write(Area));
    }

    static void MapTransition(IEndpointRouteBuilder order, string verb, string operationId, PurchaseOrderAction action) =>
        order.MapPost($"/{verb}", async (string purchaseOrderId, HttpContext ctx, PurchaseOrderStore store) =>
                ApiResults.Ok(await store.TransitionAsync(ctx.Principal(), Ids.Parse(purchaseOrderId, "purchaseOrderId"), action) ?? throw NotFound()))
            .WithName(operationId)
            .RequirePermission(Permissions.Write(Area));

    static ApiException NotFound() => ApiException.NotFound("Purchase order");

    /// <summary>
    /// A JSON array body (the bulk line operations): at most <see cref="PurchaseOrderRules.MaxLines"/>
    /// elements, each an object; a type error names the element's index in its path.
    /// </summary>
    static async Task<List<(T Value, JsonElement Root)>> ReadArrayAsync<T>(HttpContext ctx) where T : class
    {
        var bytes = await RequestBody.ReadBytesAsync(ctx);
        if (bytes.Length == 0) throw ApiException.BadRequest("Request body is required");
        using (var doc = RequestBody.Parse(bytes))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array) throw ApiException.BadRequest("Request body must be a JSON array");
            var count = root.GetArrayLength();
            if (count == 0) throw ApiException.BadRequest("At least one line is required");
            if (count > PurchaseOrderRules.MaxLines)
                throw ApiException.BadRequest($"At most {PurchaseOrderRules.MaxLines} lines per request ({count} sent)");
            var result = new List<(T, JsonElement)>();
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"Element {i} must be a JSON object", i);
                try
                {
                    result.Add((element.Deserialize<T>(Json.Options)!, element.Clone()));
                }
                catch (JsonException e)
                {
                    var path = new List<object> { i };
                    path.AddRange(RequestBody.ParsePath(e.Path));
                    var message = $"Invalid value for '{string.Join('.', path)}': wrong type";
                    throw new ApiException(400, "BAD_REQUEST", message, [new FieldError("INVALID_TYPE", message, path)]);
                }
                i++;
            }
            return result;
        }
    }
}
