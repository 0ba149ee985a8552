namespace Ledgerlight.Receivables.Customers;

public static class CustomerApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt();
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt();
    static readonly QueryField Email = new("email", "email", FieldType.Text, Nullable: true);

    /// <summary>Sorts, filters and search as listed in listCustomers' parameter descriptions.</summary>
    public static readonly ListSpec<CustomerRow> Spec = ListFields.Spec<CustomerRow>("customers", "", CustomerRow.Columns, c => c.Id,
        sortable:
        [
            (new("name", "name", FieldType.Text), c => c.Name),
            (Email, c => c.Email),
            (CreatedAt, c => c.CreatedAt),
            (UpdatedAt, c => c.UpdatedAt),
        ],
        filterable:
        [
            new("billingAddressCity", "(billing_address->>'city')", FieldType.Text, Nullable: true),
            new("billingAddressCountry", "(billing_address->>'country')", FieldType.Text, Nullable: true),
            new("businessRegistrationNumber", "business_registration_number", FieldType.Text, Nullable: true),
            CreatedAt,
            new("description", "description", FieldType.Text, Nullable: true),
            Email,
            ListFields.Id(),
            new("name", "name", FieldType.Text),
            new("status", "status", FieldType.Enum),
            UpdatedAt,
            new("vatNumber", "vat_number", FieldType.Text, Nullable: true),
        ],
        defaultSort: ("createdAt", SortDirection.Desc),
        searchColumns: ["name", "email", "vat_number", "domain", "business_registration_number"]);

    static readonly ReferenceEndpoints Endpoints = new("/v1/customers", "customerId", "Customer", "customers", "listCustomers", "createCustomer",
        "getCustomerById", "updateCustomer", ["name"]);

    public static void MapCustomerApi(this IEndpointRouteBuilder app)
    {
        var item = ReferenceDataApi.Map<CustomerStore, CustomerRow, CustomerModel, CustomerRequest>(app, Endpoints, Spec);
        foreach (var (path, status, name) in new[] { ("/archive", CustomerStore.Archived, "archiveCustomer"), ("/activate", CustomerStore.Active, "activateCustomer") })
            item.MapPost(path, async (string customerId, HttpContext ctx, CustomerStore store) =>
                    ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                        await store.SetStatusAsync(ctx.Principal().CompanyId, Ids.Parse(customerId, "customerId"), status)
                        ?? throw ApiException.NotFound("Customer"))))
                .WithName(name)
                .RequirePermission(Permissions.Write("customers"));
    }
}
