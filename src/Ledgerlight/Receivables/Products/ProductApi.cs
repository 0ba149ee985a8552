using Ledgerlight.Documents.Kernel;
using System.Text.Json;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.Query;
using Npgsql;

namespace Ledgerlight.Receivables.Products;

public static class ProductApi
{
    static readonly QueryField UpdatedAt = new("updatedAt", "updated_at", FieldType.Timestamp);

    /// <summary>Sorts and filters as listed in listProducts' parameter descriptions.</summary>
    public static readonly ListSpec<ProductRow> Spec = new()
    {
        From = "products",
        Select = ProductRow.Columns,
        CompanyColumn = "company_id",
        Id = new("id", "id", FieldType.Uuid),
        IdOf = p => p.Id,
        Sortable =
        [
            (new("name", "name", FieldType.Text), p => p.Name),
            (new("createdAt", "created_at", FieldType.Timestamp), p => p.CreatedAt),
            (UpdatedAt, p => p.UpdatedAt),
        ],
        Filterable =
        [
            new("id", "id", FieldType.Uuid),
            new("name", "name", FieldType.Text),
            new("pricingType", "pricing_type", FieldType.Enum),
            new("recurrence", "billing_recurrence", FieldType.Enum),
            new("state", "state", FieldType.Enum),
            // Products used on the given sales invoice(s).
            new("invoiceReceivableId", "", FieldType.Uuid)
            {
                CustomFilter = (op, p) => FilterSql.Apply(op, "EXISTS (SELECT 1 FROM invoice_receivable_lines l WHERE l.company_id = products.company_id " +
                                                             $"AND l.product_id = products.id AND {FilterSql.Compare(op, "l.invoice_receivable_id", p)})"),
            },
            UpdatedAt,
        ],
        DefaultSort = ("createdAt", SortDirection.Desc),
    };

    public static void MapProductApi(this IEndpointRouteBuilder app)
    {
        var list = app.MapGroup("/v1/products");
        var item = app.MapGroup("/v1/products/{productId}");
        list.MapGet("", async (HttpContext ctx, NpgsqlDataSource db, ProductStore store) =>
            {
                var companyId = ctx.Principal().CompanyId;
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), companyId, ct: ctx.RequestAborted);
                var models = await store.ToModelsAsync(companyId, page.Records);
                return ApiResults.Ok(new Page<ProductModel>(models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
            })
            .WithName("listProducts")
            .RequirePermission(Permissions.Read("products"));

        list.MapPost("", async (HttpContext ctx, ProductStore store) =>
            {
                var request = await RequestBody.ReadAsync<ProductRequest>(ctx);
                var v = new Validation();
                request.Validate(v, isCreate: true);
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                return ApiResults.Ok(await store.ToModelAsync(companyId, await store.CreateAsync(companyId, request)));
            })
            .WithName("createProduct")
            .RequirePermission(Permissions.Write("products"));

        item.MapGet("", async (string productId, HttpContext ctx, ProductStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(productId, "productId")) ?? throw ApiException.NotFound("Product"))))
            .WithName("getProductById")
            .RequirePermission(Permissions.Read("products"));

        item.MapPatch("", async (string productId, HttpContext ctx, ProductStore store) =>
            {
                var id = Ids.Parse(productId, "productId");
                var (request, body) = await RequestBody.ReadWithRootAsync<ProductRequest>(ctx);
                var v = new Validation();
                PatchSet.RefuseClearing(body, v, ["name", "pricingType", "billingRecurrence"]);
                request.Validate(v, isCreate: false);
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                return ApiResults.Ok(await store.ToModelAsync(companyId,
                    await store.PatchAsync(companyId, id, request, body) ?? throw ApiException.NotFound("Product")));
            })
            .WithName("updateProduct")
            .RequirePermission(Permissions.Write("products"));

        item.MapPost("/archive", async (string productId, HttpContext ctx, ProductStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.ArchiveAsync(ctx.Principal().CompanyId, Ids.Parse(productId, "productId")) ?? throw ApiException.NotFound("Product"))))
            .WithName("archiveProduct")
            .RequirePermission(Permissions.Write("products"));
    }
}
