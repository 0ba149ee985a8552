namespace Ledgerlight.Organization.Users;

public static class UserApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt();
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt();

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
    public static readonly ListSpec<UserRow> Spec = ListFields.Spec<UserRow>("users", "", UserRow.Columns, u => u.Id,
        sortable:
        [
            (new("firstName", "first_name", FieldType.Text, Nullable: true), u => u.FirstName),
            (new("lastName", "last_name", FieldType.Text, Nullable: true), u => u.LastName),
            (new("status", "status", FieldType.Enum), u => u.Status),
            (CreatedAt, u => u.CreatedAt),
            (UpdatedAt, u => u.UpdatedAt),
        ],
        filterable:
        [
            ListFields.Id(),
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
        defaultSort: ("createdAt", SortDirection.Asc));

    public static void MapUserApi(this IEndpointRouteBuilder app)
    {
        app.MapList("/v1/users", async call =>
            {
                var includeRoles = QueryFlags.Bool(call.Http, "includeRoles");
                var includeGroups = QueryFlags.Bool(call.Http, "includeGroups");
                var includeManagers = QueryFlags.Bool(call.Http, "includeManagers");
                var companyId = call.CompanyId;
                var page = await call.PageAsync(Spec);

                var ids = page.Records.Select(u => u.Id).ToArray();
                ILookup<Guid, UserGroupModel>? groups = null;
                ILookup<Guid, Guid>? managers = null;
                await using var conn = await call.Db.OpenConnectionAsync(call.Http.RequestAborted);
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
