
namespace Ledgerlight.Organization.Entities;

public static class EntityApi
{
    static readonly QueryField CreatedAt = new("createdAt", "created_at", FieldType.Timestamp);

    /// <summary>Sorts and filters as listed in getCompanyEntities' parameter descriptions.</summary>
    public static readonly ListSpec<EntityRow> Spec = new()
    {
        From = "company_entities",
        Select = EntityRow.Columns,
        CompanyColumn = "company_id",
        Id = new("id", "id", FieldType.Uuid),
        IdOf = e => e.Id,
        Sortable =
        [
            (new("code", "code", FieldType.Text), e => e.Code),
            (CreatedAt, e => e.CreatedAt),
            (new("displayName", "display_name", FieldType.Text), e => e.DisplayName),
            (new("localCurrency", "local_currency::text", FieldType.Text), e => e.LocalCurrency),
            (new("name", "name", FieldType.Text), e => e.Name),
            (new("sortPosition", "sort_position", FieldType.Integer), e => (long)e.SortPosition),
            (new("status", "status", FieldType.Enum), e => e.Status),
            (new("vatNumber", "vat_number", FieldType.Text, Nullable: true), e => e.VatNumber),
        ],
        Filterable =
        [
            new("id", "id", FieldType.Uuid),
            new("code", "code", FieldType.Text),
            new("name", "name", FieldType.Text),
            new("displayName", "display_name", FieldType.Text),
            new("country", "country", FieldType.Enum, Nullable: true),
            new("status", "status", FieldType.Enum),
            CreatedAt,
            new("updatedAt", "updated_at", FieldType.Timestamp),
        ],
        DefaultSort = ("sortPosition", SortDirection.Asc),
    };

    public static void MapEntityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/entities", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                QueryFlags.Bool(ctx, "includeCardCustomer"); // accepted; card customers arrive with the Spend area
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), ctx.Principal().CompanyId, ct: ctx.RequestAborted);
                return ApiResults.Ok(page.Map(e => e.ToModel()));
            })
            .WithName("getCompanyEntities")
            .RequirePermission(Permissions.Read("entities"));
    }

    /// <summary>The entities of a company among the given ids, for validating references in requests.</summary>
    public static async Task<HashSet<Guid>> ExistingAsync(NpgsqlConnection conn, Guid companyId, IEnumerable<Guid> ids, NpgsqlTransaction? tx = null)
    {
        var found = await conn.QueryAsync<Guid>(
            "SELECT id FROM company_entities WHERE company_id = @companyId AND id = ANY(@ids)",
            new { companyId, ids = ids.Distinct().ToArray() }, tx);
        return found.ToHashSet();
    }
}
