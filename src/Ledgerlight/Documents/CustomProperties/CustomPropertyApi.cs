using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Documents.CustomProperties;

/// <summary>
/// Custom property groups (defined per company; Light has no create operation, so Ledgerlight adds
/// one) and the selectable values of a group. Records carry them through <see cref="CustomPropertyRequests"/>.
/// </summary>
public static class CustomPropertyApi
{
    public static void MapCustomPropertyApi(this IEndpointRouteBuilder app)
    {
        var read = Permissions.Read("custom-properties");
        var write = Permissions.Write("custom-properties");
        var groups = app.MapGroup("/v1/custom-properties/groups");
        groups.MapGet("", ListGroupsAsync).WithName("listPaginatedCustomPropertyGroups").RequirePermission(read);
        groups.MapPost("", CreateGroupAsync).WithName("createCustomPropertyGroup").RequirePermission(write)
            .WithMetadata(new LedgerlightExtension("Create custom property group",
                "Defines a custom property group (Light's API lists groups but has no operation to create one). internalName is unique " +
                "per company (409 otherwise); inputType is SINGLE_SELECT or MULTI_SELECT (values created under the group) or NUMERIC, " +
                "TEXT, BOOLEAN, DATE (records carry inline values); objectTypes limits which records may use it (empty: any).",
                "ExternalCustomPropertyGroupV1Model"));

        var group = groups.MapGroup("/{groupId}");
        group.MapGet("", GetGroupAsync).WithName("getCustomPropertyGroupById").RequirePermission(read);
        group.MapGet("/values", ListValuesAsync).WithName("listPaginatedCustomPropertyValues").RequirePermission(read);
        group.MapPost("/values", CreateValueAsync).WithName("createCustomPropertyValue").RequirePermission(write);

        var value = group.MapGroup("/values/{valueId}");
        value.MapGet("", async (string groupId, string valueId, HttpContext ctx, CustomPropertyStore store) =>
                ApiResults.Ok((await store.ValueAsync(ctx.Principal().CompanyId, GroupId(groupId), ValueId(valueId))).ToModel()))
            .WithName("getCustomPropertyValueById").RequirePermission(read);
        value.MapPatch("", UpdateValueAsync).WithName("updateCustomPropertyValue").RequirePermission(write);
        value.MapDelete("", async (string groupId, string valueId, HttpContext ctx, CustomPropertyStore store) =>
                ApiResults.Ok((await store.DeleteValueAsync(ctx.Principal().CompanyId, GroupId(groupId), ValueId(valueId))).ToModel()))
            .WithName("deleteCustomPropertyValue").RequirePermission(write);
    }

    static Guid GroupId(string value) => Ids.Parse(value, "groupId");
    static Guid ValueId(string value) => Ids.Parse(value, "valueId");

    static async Task<IResult> ListGroupsAsync(HttpContext ctx, NpgsqlDataSource db, CustomPropertyStore store)
    {
        var includeValues = QueryFlags.Bool(ctx, "includeValues");
        var companyId = ctx.Principal().CompanyId;
        var page = await ListQuery.RunAsync(db, CustomPropertyLists.GroupSpec, QueryFlags.List(ctx), companyId, ct: ctx.RequestAborted);
        var values = includeValues ? await store.ValuesOfAsync(companyId, page.Records.Select(g => g.Id).ToArray()) : null;
        return ApiResults.Ok(page.Map(g => g.ToModel(values is null ? null : values[g.Id].ToList())));
    }

    static async Task<IResult> CreateGroupAsync(HttpContext ctx, CustomPropertyStore store)
    {
        var r = await RequestBody.ReadValidAsync<CreateCustomPropertyGroupRequest>(ctx, (x, v) => x.Validate(v));
        return ApiResults.Ok((await store.CreateGroupAsync(ctx.Principal().CompanyId, r)).ToModel([]));
    }

    static async Task<IResult> GetGroupAsync(string groupId, HttpContext ctx, CustomPropertyStore store)
    {
        var companyId = ctx.Principal().CompanyId;
        var group = await store.GroupAsync(companyId, GroupId(groupId));
        var values = await store.ValuesOfAsync(companyId, [group.Id]);
        return ApiResults.Ok(group.ToModel(values[group.Id].ToList()));
    }

    static async Task<IResult> ListValuesAsync(string groupId, HttpContext ctx, NpgsqlDataSource db, CustomPropertyStore store)
    {
        var companyId = ctx.Principal().CompanyId;
        var id = (await store.GroupAsync(companyId, GroupId(groupId))).Id;
        var page = await ListQuery.RunAsync(db, CustomPropertyLists.ValueSpec, QueryFlags.List(ctx), companyId,
            where => where.Add($"cv.group_id = {where.Param(id)}"), ctx.RequestAborted);
        return ApiResults.Ok(page.Map(v => v.ToModel()));
    }

    static async Task<IResult> CreateValueAsync(string groupId, HttpContext ctx, CustomPropertyStore store)
    {
        var gid = GroupId(groupId);
        var r = await RequestBody.ReadValidAsync<CreateCustomPropertyValueRequest>(ctx, (x, v) => x.Validate(v));
        return ApiResults.Ok((await store.CreateValueAsync(ctx.Principal().CompanyId, gid, r)).ToModel());
    }

    static async Task<IResult> UpdateValueAsync(string groupId, string valueId, HttpContext ctx, CustomPropertyStore store)
    {
        var (gid, id) = (GroupId(groupId), ValueId(valueId));
        var (r, body) = await RequestBody.ReadWithRootAsync<UpdateCustomPropertyValueRequest>(ctx);
        var v = new Validation();
        r.Validate(v, body);
        v.ThrowIfAny();
        var row = await store.UpdateValueAsync(ctx.Principal().CompanyId, gid, id, r, setContext: body.TryGetProperty("context", out _));
        return ApiResults.Ok(row.ToModel());
    }
}
