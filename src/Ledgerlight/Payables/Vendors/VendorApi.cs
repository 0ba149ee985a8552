
namespace Ledgerlight.Payables.Vendors;

public static class VendorApi
{
    static readonly QueryField CreatedAt = new("createdAt", "v.created_at", FieldType.Timestamp);
    static readonly QueryField UpdatedAt = new("updatedAt", "v.updated_at", FieldType.Timestamp);
    static readonly QueryField SpendLastMtd = new("spendLastMtd", "v.last_mtd_spend", FieldType.Integer);

    /// <summary>Sorts, filters and search as listed in listVendors' parameter descriptions.</summary>
    public static readonly ListSpec<VendorRow> Spec = new()
    {
        From = VendorRow.From,
        Select = VendorRow.Columns,
        CompanyColumn = "v.company_id",
        Id = new("id", "v.id", FieldType.Uuid),
        IdOf = v => v.Id,
        Sortable =
        [
            (new("name", "v.name", FieldType.Text), v => v.Name),
            (SpendLastMtd, v => v.LastMtdSpend),
            (CreatedAt, v => v.CreatedAt),
            (UpdatedAt, v => v.UpdatedAt),
        ],
        Filterable =
        [
            new("id", "v.id", FieldType.Uuid),
            new("status", "v.status", FieldType.Enum),
            new("type", "v.type", FieldType.Enum),
            new("ledgerAccountId", "v.default_account_id", FieldType.Uuid, Nullable: true),
            new("ledgerTaxId", "v.default_tax_code_id", FieldType.Uuid, Nullable: true),
            SpendLastMtd,
            CreatedAt,
            UpdatedAt,
        ],
        SearchColumns = ["v.name", "v.email", "v.vat_id", "v.identifier", "v.business_registration_number"],
        DefaultSort = ("createdAt", SortDirection.Desc),
    };

    /// <param name="vendors">The group at /v1/vendors.</param>
    /// <param name="vendor">The group at /v1/vendors/{vendorId}.</param>
    public static void MapVendorApi(this IEndpointRouteBuilder vendors, IEndpointRouteBuilder vendor)
    {
        vendors.MapGet("", async (HttpContext ctx, NpgsqlDataSource db, VendorStore store) =>
            {
                var companyId = ctx.Principal().CompanyId;
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), companyId, ct: ctx.RequestAborted);
                var models = await store.ToModelsAsync(companyId, page.Records);
                return ApiResults.Ok(new Page<VendorModel>(models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
            })
            .WithName("listVendors")
            .RequirePermission(Permissions.Read("vendors"));

        vendors.MapPost("", async (HttpContext ctx, VendorStore store) =>
            {
                var request = await RequestBody.ReadValidAsync<VendorRequest>(ctx, (x, v) => x.Validate(v, isCreate: true));
                var principal = ctx.Principal();
                var row = await store.CreateAsync(principal.CompanyId, principal.UserId, request);
                return ApiResults.Ok(await store.ToModelAsync(principal.CompanyId, row));
            })
            .WithName("createVendor")
            .RequirePermission(Permissions.Write("vendors"));

        vendor.MapGet("", async (string vendorId, HttpContext ctx, VendorStore store) =>
            {
                var row = await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(vendorId, "vendorId"))
                          ?? throw ApiException.NotFound("Vendor");
                return ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId, row));
            })
            .WithName("getVendor")
            .RequirePermission(Permissions.Read("vendors"));

        vendor.MapPut("", async (string vendorId, HttpContext ctx, VendorStore store) =>
            {
                var id = Ids.Parse(vendorId, "vendorId");
                var request = await RequestBody.ReadAsync<VendorRequest>(ctx);
                var v = new Validation();
                request.Validate(v, isCreate: false);
                // currency is not part of the update model: a client echoing the whole vendor back is not refused for it.
                v.ThrowIfAny();
                var row = await store.ReplaceAsync(ctx.Principal().CompanyId, id, request) ?? throw ApiException.NotFound("Vendor");
                return ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId, row));
            })
            .WithName("updateVendor")
            .RequirePermission(Permissions.Write("vendors"));
    }
}
