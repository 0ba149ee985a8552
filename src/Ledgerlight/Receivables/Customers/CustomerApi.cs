using Ledgerlight.Documents.Kernel;
using System.Text.Json;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.Query;
using Npgsql;

namespace Ledgerlight.Receivables.Customers;

public static class CustomerApi
{
    static readonly QueryField CreatedAt = new("createdAt", "created_at", FieldType.Timestamp);
    static readonly QueryField UpdatedAt = new("updatedAt", "updated_at", FieldType.Timestamp);
    static readonly QueryField Email = new("email", "email", FieldType.Text, Nullable: true);

    /// <summary>Sorts, filters and search as listed in listCustomers' parameter descriptions.</summary>
    public static readonly ListSpec<CustomerRow> Spec = new()
    {
        From = "customers",
        Select = CustomerRow.Columns,
        CompanyColumn = "company_id",
        Id = new("id", "id", FieldType.Uuid),
        IdOf = c => c.Id,
        Sortable =
        [
            (new("name", "name", FieldType.Text), c => c.Name),
            (Email, c => c.Email),
            (CreatedAt, c => c.CreatedAt),
            (UpdatedAt, c => c.UpdatedAt),
        ],
        Filterable =
        [
            new("billingAddressCity", "(billing_address->>'city')", FieldType.Text, Nullable: true),
            new("billingAddressCountry", "(billing_address->>'country')", FieldType.Text, Nullable: true),
            new("businessRegistrationNumber", "business_registration_number", FieldType.Text, Nullable: true),
            CreatedAt,
            new("description", "description", FieldType.Text, Nullable: true),
            Email,
            new("id", "id", FieldType.Uuid),
            new("name", "name", FieldType.Text),
            new("status", "status", FieldType.Enum),
            UpdatedAt,
            new("vatNumber", "vat_number", FieldType.Text, Nullable: true),
        ],
        SearchColumns = ["name", "email", "vat_number", "domain", "business_registration_number"],
        DefaultSort = ("createdAt", SortDirection.Desc),
    };

    public static void MapCustomerApi(this IEndpointRouteBuilder app)
    {
        var list = app.MapGroup("/v1/customers");
        var item = app.MapGroup("/v1/customers/{customerId}");
        list.MapGet("", async (HttpContext ctx, NpgsqlDataSource db, CustomerStore store) =>
            {
                var companyId = ctx.Principal().CompanyId;
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), companyId, ct: ctx.RequestAborted);
                var models = await store.ToModelsAsync(companyId, page.Records);
                return ApiResults.Ok(new Page<CustomerModel>(models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
            })
            .WithName("listCustomers")
            .RequirePermission(Permissions.Read("customers"));

        list.MapPost("", async (HttpContext ctx, CustomerStore store) =>
            {
                var request = await RequestBody.ReadAsync<CustomerRequest>(ctx);
                var v = new Validation();
                request.Validate(v, isCreate: true);
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                return ApiResults.Ok(await store.ToModelAsync(companyId, await store.CreateAsync(companyId, request)));
            })
            .WithName("createCustomer")
            .RequirePermission(Permissions.Write("customers"));

        item.MapGet("", async (string customerId, HttpContext ctx, CustomerStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(customerId, "customerId")) ?? throw ApiException.NotFound("Customer"))))
            .WithName("getCustomerById")
            .RequirePermission(Permissions.Read("customers"));

        item.MapPatch("", async (string customerId, HttpContext ctx, CustomerStore store) =>
            {
                var id = Ids.Parse(customerId, "customerId");
                var (request, body) = await RequestBody.ReadWithRootAsync<CustomerRequest>(ctx);
                var v = new Validation();
                PatchSet.RefuseClearing(body, v, ["name"]);
                request.Validate(v, isCreate: false);
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                return ApiResults.Ok(await store.ToModelAsync(companyId,
                    await store.PatchAsync(companyId, id, request, body) ?? throw ApiException.NotFound("Customer")));
            })
            .WithName("updateCustomer")
            .RequirePermission(Permissions.Write("customers"));

        item.MapPost("/archive", async (string customerId, HttpContext ctx, CustomerStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.SetStatusAsync(ctx.Principal().CompanyId, Ids.Parse(customerId, "customerId"), CustomerStore.Archived)
                    ?? throw ApiException.NotFound("Customer"))))
            .WithName("archiveCustomer")
            .RequirePermission(Permissions.Write("customers"));

        item.MapPost("/activate", async (string customerId, HttpContext ctx, CustomerStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.SetStatusAsync(ctx.Principal().CompanyId, Ids.Parse(customerId, "customerId"), CustomerStore.Active)
                    ?? throw ApiException.NotFound("Customer"))))
            .WithName("activateCustomer")
            .RequirePermission(Permissions.Write("customers"));
    }
}
