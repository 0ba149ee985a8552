namespace Ledgerlight.Organization.Entities;

public static class EntityApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt();

    /// <summary>Sorts and filters as listed in getCompanyEntities' parameter descriptions.</summary>
    public static readonly ListSpec<EntityRow> Spec = ListFields.Spec<EntityRow>("company_entities", "", EntityRow.Columns, e => e.Id,
        sortable:
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
        filterable:
        [
            ListFields.Id(),
            new("code", "code", FieldType.Text),
            new("name", "name", FieldType.Text),
            new("displayName", "display_name", FieldType.Text),
            new("country", "country", FieldType.Enum, Nullable: true),
            new("status", "status", FieldType.Enum),
            CreatedAt,
            ListFields.UpdatedAt(),
        ],
        defaultSort: ("sortPosition", SortDirection.Asc));

    public static void MapEntityApi(this IEndpointRouteBuilder app)
    {
        app.MapList("/v1/entities", async call =>
            {
                QueryFlags.Bool(call.Http, "includeCardCustomer"); // accepted; card customers arrive with the Spend area
                return ApiResults.Ok((await call.PageAsync(Spec)).Map(e => e.ToModel()));
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
