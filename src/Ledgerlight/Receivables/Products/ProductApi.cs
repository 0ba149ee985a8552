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
        app.MapGet("/v1/products", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), ctx.Principal().CompanyId, ct: ctx.RequestAborted);
                return ApiResults.Ok(page.Map(p => p.ToModel()));
            })
            .WithName("listProducts")
            .RequirePermission(Permissions.Read("products"));

        app.MapPost("/v1/products", async (HttpContext ctx, ProductStore store) =>
            {
                var request = await RequestBody.ReadAsync<ProductRequest>(ctx);
                var v = new Validation();
                request.Validate(v, isCreate: true);
                v.ThrowIfAny();
                return ApiResults.Ok((await store.CreateAsync(ctx.Principal().CompanyId, request)).ToModel());
            })
            .WithName("createProduct")
            .RequirePermission(Permissions.Write("products"));

        app.MapGet("/v1/products/{productId}", async (string productId, HttpContext ctx, ProductStore store) =>
                ApiResults.Ok((await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(productId, "productId"))
                               ?? throw ApiException.NotFound("Product")).ToModel()))
            .WithName("getProductById")
            .RequirePermission(Permissions.Read("products"));

        app.MapPatch("/v1/products/{productId}", async (string productId, HttpContext ctx, ProductStore store) =>
            {
                var id = Ids.Parse(productId, "productId");
                var (request, body) = await RequestBody.ReadWithRootAsync<ProductRequest>(ctx);
                var v = new Validation();
                foreach (var required in new[] { "name", "pricingType", "billingRecurrence" })
                    if (body.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.Null) v.Add($"'{required}' cannot be cleared", required);
                request.Validate(v, isCreate: false);
                v.ThrowIfAny();
                return ApiResults.Ok((await store.PatchAsync(ctx.Principal().CompanyId, id, request, body)
                                      ?? throw ApiException.NotFound("Product")).ToModel());
            })
            .WithName("updateProduct")
            .RequirePermission(Permissions.Write("products"));

        app.MapPost("/v1/products/{productId}/archive", async (string productId, HttpContext ctx, ProductStore store) =>
                ApiResults.Ok((await store.ArchiveAsync(ctx.Principal().CompanyId, Ids.Parse(productId, "productId"))
                               ?? throw ApiException.NotFound("Product")).ToModel()))
            .WithName("archiveProduct")
            .RequirePermission(Permissions.Write("products"));
    }
}
