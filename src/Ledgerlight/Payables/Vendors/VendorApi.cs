using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.Vendors;

public static class VendorApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt("v");
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt("v");
    static readonly QueryField SpendLastMtd = new("spendLastMtd", VendorSpend.ReadSql, FieldType.Integer);

    /// <summary>Sorts, filters and search as listed in listVendors' parameter descriptions.</summary>
    public static readonly ListSpec<VendorRow> Spec = ListFields.SpecFrom<VendorRow>("v", VendorRow.From, VendorRow.Columns, v => v.Id,
        [
            (new("name", "v.name", FieldType.Text), v => v.Name),
            (SpendLastMtd, v => v.LastMtdSpend),
            (CreatedAt, v => v.CreatedAt),
            (UpdatedAt, v => v.UpdatedAt),
        ],
        [
            ListFields.Id("v"),
            ListFields.Status("v"),
            new("type", "v.type", FieldType.Enum),
            new("ledgerAccountId", "v.default_account_id", FieldType.Uuid, Nullable: true),
            new("ledgerTaxId", "v.default_tax_code_id", FieldType.Uuid, Nullable: true),
            SpendLastMtd,
            CreatedAt,
            UpdatedAt,
        ],
        ("createdAt", SortDirection.Desc),
        search: ["v.name", "v.email", "v.vat_id", "v.identifier", "v.business_registration_number"]);

    /// <param name="vendors">The group at /v1/vendors.</param>
    /// <param name="vendor">The group at /v1/vendors/{vendorId}.</param>
    public static void MapVendorApi(this IEndpointRouteBuilder vendors, IEndpointRouteBuilder vendor)
    {
        vendors.MapPage<VendorRow, VendorModel>("", Spec, (c, rows) => c.Service<VendorStore>().ToModelsAsync(c.CompanyId, rows))
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
