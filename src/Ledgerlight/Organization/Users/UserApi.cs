
namespace Ledgerlight.Organization.Users;

public static class UserApi
{
    static readonly QueryField CreatedAt = new("createdAt", "created_at", FieldType.Timestamp);
    static readonly QueryField UpdatedAt = new("updatedAt", "updated_at", FieldType.Timestamp);

    // A user's roles are a text[]; "role" and "assignedRole" test membership.
    static string RoleFilter(FilterOperator op, string p) => op switch
    {
        FilterOperator.Eq => $"{p} = ANY(roles)",
        FilterOperator.Ne => $"NOT ({p} = ANY(roles))",
        FilterOperator.In => $"roles && {p}",
        FilterOperator.NotIn => $"NOT (roles && {p})",
        _ => throw ApiException.BadRequest("'role' supports only eq, ne, in and not_in", "filter"),
    };

    static string GroupFilter(FilterOperator op, string p) => op switch
    {
        FilterOperator.Eq => $"EXISTS (SELECT 1 FROM user_group_members m WHERE m.company_id = users.company_id AND m.user_id = users.id AND m.group_id = {p})",
        FilterOperator.Ne => $"NOT EXISTS (SELECT 1 FROM user_group_members m WHERE m.company_id = users.company_id AND m.user_id = users.id AND m.group_id = {p})",
        FilterOperator.In => $"EXISTS (SELECT 1 FROM user_group_members m WHERE m.company_id = users.company_id AND m.user_id = users.id AND m.group_id = ANY({p}))",
        FilterOperator.NotIn => $"NOT EXISTS (SELECT 1 FROM user_group_members m WHERE m.company_id = users.company_id AND m.user_id = users.id AND m.group_id = ANY({p}))",
        _ => throw ApiException.BadRequest("'userGroupId' supports only eq, ne, in and not_in", "filter"),
    };

    /// <summary>Sorts and filters as listed in listUsers' parameter descriptions.</summary>
    public static readonly ListSpec<UserRow> Spec = new()
    {
        From = "users",
        Select = UserRow.Columns,
        CompanyColumn = "company_id",
        Id = new("id", "id", FieldType.Uuid),
        IdOf = u => u.Id,
        Sortable =
        [
            (new("firstName", "first_name", FieldType.Text, Nullable: true), u => u.FirstName),
            (new("lastName", "last_name", FieldType.Text, Nullable: true), u => u.LastName),
            (new("status", "status", FieldType.Enum), u => u.Status),
            (CreatedAt, u => u.CreatedAt),
            (UpdatedAt, u => u.UpdatedAt),
        ],
        Filterable =
        [
            new("id", "id", FieldType.Uuid),
            new("userGroupId", "", FieldType.Uuid) { CustomFilter = GroupFilter },
            new("status", "status", FieldType.Enum),
            new("email", "lower(email)", FieldType.Text) { CustomFilter = (op, p) => op switch
            {
                FilterOperator.Eq => $"lower(email) = lower({p})",
                FilterOperator.Ne => $"lower(email) <> lower({p})",
                FilterOperator.In => $"lower(email) = ANY(SELECT lower(x) FROM unnest({p}) x)",
                FilterOperator.NotIn => $"NOT (lower(email) = ANY(SELECT lower(x) FROM unnest({p}) x))",
                _ => throw ApiException.BadRequest("'email' supports only eq, ne, in and not_in", "filter"),
            } },
            CreatedAt,
            UpdatedAt,
            new("role", "", FieldType.Enum) { CustomFilter = RoleFilter },
            new("assignedRole", "", FieldType.Enum) { CustomFilter = RoleFilter },
        ],
        DefaultSort = ("createdAt", SortDirection.Asc),
    };

    public static void MapUserApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/users", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var includeRoles = QueryFlags.Bool(ctx, "includeRoles");
                var includeGroups = QueryFlags.Bool(ctx, "includeGroups");
                var includeManagers = QueryFlags.Bool(ctx, "includeManagers");
                var companyId = ctx.Principal().CompanyId;
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), companyId, ct: ctx.RequestAborted);

                var ids = page.Records.Select(u => u.Id).ToArray();
                ILookup<Guid, UserGroupModel>? groups = null;
                ILookup<Guid, Guid>? managers = null;
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                if (includeGroups && ids.Length > 0) groups = await UserDetails.GroupsAsync(conn, companyId, ids);
                if (includeManagers && ids.Length > 0) managers = await UserDetails.ManagersAsync(conn, companyId, ids);
                return ApiResults.Ok(page.Map(u => u.ToModel(includeRoles,
                    includeGroups ? groups?[u.Id].ToList() ?? [] : null,
                    includeManagers ? managers?[u.Id].ToList() ?? [] : null)));
            })
            .WithName("listUsers")
            .RequirePermission(Permissions.Read("users"));
    }
}
