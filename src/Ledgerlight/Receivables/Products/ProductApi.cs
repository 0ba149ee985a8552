namespace Ledgerlight.Receivables.Products;

public static class ProductApi
{
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt();

    /// <summary>Sorts and filters as listed in listProducts' parameter descriptions.</summary>
    public static readonly ListSpec<ProductRow> Spec = ListFields.Spec<ProductRow>("products", "", ProductRow.Columns, p => p.Id,
        sortable:
        [
            (new("name", "name", FieldType.Text), p => p.Name),
            (ListFields.CreatedAt(), p => p.CreatedAt),
            (UpdatedAt, p => p.UpdatedAt),
        ],
        filterable:
        [
            ListFields.Id(),
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
        defaultSort: ("createdAt", SortDirection.Desc));

    static readonly ReferenceEndpoints Endpoints = new("/v1/products", "productId", "Product", "products", "listProducts", "createProduct",
        "getProductById", "updateProduct", ["name", "pricingType", "billingRecurrence"]);

    public static void MapProductApi(this IEndpointRouteBuilder app)
    {
        var item = ReferenceDataApi.Map<ProductStore, ProductRow, ProductModel, ProductRequest>(app, Endpoints, Spec);
        item.MapPost("/archive", async (string productId, HttpContext ctx, ProductStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.ArchiveAsync(ctx.Principal().CompanyId, Ids.Parse(productId, "productId")) ?? throw ApiException.NotFound("Product"))))
            .WithName("archiveProduct")
            .RequirePermission(Permissions.Write("products"));
    }
}
