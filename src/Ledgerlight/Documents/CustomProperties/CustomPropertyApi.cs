using Dapper;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.OpenApi;
using Ledgerlight.Platform.Query;
using Npgsql;

namespace Ledgerlight.Documents.CustomProperties;

/// <summary>ExternalCustomPropertyGroupV1Model.</summary>
public sealed record CustomPropertyGroupModel(
    Guid Id, Guid CompanyId, string Label, string InternalName, string InputType, string ObjectLevel, IReadOnlyList<string> ObjectTypes,
    IReadOnlyDictionary<string, string> ObjectTypeStatuses, string? Context, IReadOnlyList<CustomPropertyValueModel>? Values,
    DateTime CreatedAt, DateTime UpdatedAt, bool Required);

/// <summary>Body of the extension POST /v1/custom-properties/groups.</summary>
public sealed record CreateCustomPropertyGroupRequest(
    string? InternalName, string? Label, string? InputType, string? ObjectLevel, IReadOnlyList<string>? ObjectTypes, string? Context, bool? Required);

public sealed record CreateCustomPropertyValueRequest(string? InternalName, string? Label, string? Context);
public sealed record UpdateCustomPropertyValueRequest(string? Label, string? Context);

public sealed class GroupRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public string InternalName { get; set; } = "";
    public string Label { get; set; } = "";
    public string InputType { get; set; } = "";
    public string ObjectLevel { get; set; } = "";
    public string[] ObjectTypes { get; set; } = [];
    public string? Context { get; set; }
    public bool IsRequired { get; set; }
    public bool IsDeleted { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns = "g.company_id, g.id, g.internal_name, g.label, g.input_type, g.object_level, g.object_types, g.context, " +
                                  "g.is_required, g.is_deleted, g.created_at, g.updated_at";

    public CustomPropertyGroupModel ToModel(IReadOnlyList<CustomPropertyValueModel>? values) => new(
        Id, CompanyId, Label, InternalName, InputType, ObjectLevel, ObjectTypes,
        ObjectTypes.ToDictionary(t => t, _ => IsDeleted ? "DELETED" : "ACTIVE"), Context, values, CreatedAt, UpdatedAt, IsRequired);
}

public sealed class ValueRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string GroupInternalName { get; set; } = "";
    public string InternalName { get; set; } = "";
    public string Label { get; set; } = "";
    public string? Context { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns = "cv.company_id, cv.id, cv.group_id, g.internal_name AS group_internal_name, cv.internal_name, cv.label, " +
                                  "cv.context, cv.created_at, cv.updated_at";
    public const string From = "custom_property_values cv JOIN custom_property_groups g ON g.company_id = cv.company_id AND g.id = cv.group_id";

    public CustomPropertyValueModel ToModel() => new(Id, GroupId, GroupInternalName, CompanyId, InternalName, Label, Context, CreatedAt, UpdatedAt);
}

/// <summary>
/// Custom property groups (defined per company; Light has no create operation, so Ledgerlight adds
/// one) and the selectable values of a group. Records carry them through
/// <see cref="CustomPropertyRequests"/>.
/// </summary>
public static class CustomPropertyApi
{
    static readonly string[] ObjectLevels = ["HEADER", "LINE"];
    static readonly string[] ObjectTypes =
    [
        "BILL", "CARD_TRANSACTION", "CREDIT_NOTE", "CONTRACT", "CUSTOMER", "CUSTOMER_CREDIT", "INVOICE", "JOURNAL_ENTRY", "LEDGER_ACCOUNT",
        "PRODUCT", "PURCHASE_ORDER", "PURCHASE_REQUEST", "REIMBURSEMENT", "VENDOR",
    ];

    static readonly QueryField GroupCreatedAt = new("createdAt", "g.created_at", FieldType.Timestamp);
    static readonly QueryField GroupLabel = new("label", "g.label", FieldType.Text);

    public static readonly ListSpec<GroupRow> GroupSpec = new()
    {
        From = "custom_property_groups g",
        Select = GroupRow.Columns,
        CompanyColumn = "g.company_id",
        Id = new("id", "g.id", FieldType.Uuid),
        IdOf = g => g.Id,
        Sortable = [(GroupLabel, g => g.Label), (GroupCreatedAt, g => g.CreatedAt)],
        Filterable =
        [
            new("id", "g.id", FieldType.Uuid),
            new("internalName", "g.internal_name", FieldType.Text),
            GroupLabel,
            new("objectLevel", "g.object_level", FieldType.Enum),
            new("objectType", "", FieldType.Enum)
            {
                CustomFilter = (op, p) => op switch
                {
                    FilterOperator.Eq => $"{p} = ANY(g.object_types)",
                    FilterOperator.Ne => $"NOT ({p} = ANY(g.object_types))",
                    FilterOperator.In => $"g.object_types && {p}",
                    FilterOperator.NotIn => $"NOT (g.object_types && {p})",
                    _ => throw ApiException.BadRequest("'objectType' supports eq, ne, in and not_in", "filter"),
                },
            },
            new("objectTypeStatus", "(CASE WHEN g.is_deleted THEN 'DELETED' ELSE 'ACTIVE' END)", FieldType.Enum),
            new("inputType", "g.input_type", FieldType.Enum),
            new("isRequired", "g.is_required", FieldType.Boolean),
            new("isDeleted", "g.is_deleted", FieldType.Boolean),
            GroupCreatedAt,
            new("updatedAt", "g.updated_at", FieldType.Timestamp),
        ],
        DefaultSort = ("createdAt", SortDirection.Asc),
    };

    static readonly QueryField ValueLabel = new("label", "cv.label", FieldType.Text);
    static readonly QueryField ValueName = new("value", "cv.internal_name", FieldType.Text);
    static readonly QueryField ValueCreatedAt = new("createdAt", "cv.created_at", FieldType.Timestamp);

    public static readonly ListSpec<ValueRow> ValueSpec = new()
    {
        From = ValueRow.From,
        Select = ValueRow.Columns,
        CompanyColumn = "cv.company_id",
        Id = new("id", "cv.id", FieldType.Uuid),
        IdOf = v => v.Id,
        Sortable = [(ValueLabel, v => v.Label), (ValueName, v => v.InternalName), (ValueCreatedAt, v => v.CreatedAt)],
        Filterable = [new("id", "cv.id", FieldType.Uuid), ValueLabel, ValueName, ValueCreatedAt, new("updatedAt", "cv.updated_at", FieldType.Timestamp)],
        DefaultSort = ("createdAt", SortDirection.Asc),
    };

    public static void MapCustomPropertyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/custom-properties/groups", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var includeValues = QueryFlags.Bool(ctx, "includeValues");
                var companyId = ctx.Principal().CompanyId;
                var page = await ListQuery.RunAsync(db, GroupSpec, QueryFlags.List(ctx), companyId, ct: ctx.RequestAborted);
                var values = includeValues ? await ValuesOfAsync(db, companyId, page.Records.Select(g => g.Id).ToArray()) : null;
                return ApiResults.Ok(page.Map(g => g.ToModel(values is null ? null : values[g.Id].ToList())));
            })
            .WithName("listPaginatedCustomPropertyGroups")
            .RequirePermission(Permissions.Read("custom-properties"));

        app.MapPost("/v1/custom-properties/groups", async (HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var r = await RequestBody.ReadAsync<CreateCustomPropertyGroupRequest>(ctx);
                var v = new Validation();
                v.Required(r.InternalName, "internalName");
                v.MaxLength(r.InternalName, 100, "internalName");
                v.Required(r.Label, "label");
                v.MaxLength(r.Label, 255, "label");
                v.MaxLength(r.Context, 1000, "context");
                v.Required(r.InputType, "inputType");
                if (r.InputType is not null && !CustomPropertyRequests.InputTypes.Contains(r.InputType))
                    v.Add($"inputType must be one of {string.Join(", ", CustomPropertyRequests.InputTypes)}", "inputType");
                if (r.ObjectLevel is not null && !ObjectLevels.Contains(r.ObjectLevel)) v.Add("objectLevel must be HEADER or LINE", "objectLevel");
                for (var i = 0; i < (r.ObjectTypes?.Count ?? 0); i++)
                    if (!ObjectTypes.Contains(r.ObjectTypes![i])) v.Add($"Unknown object type '{r.ObjectTypes[i]}'", "objectTypes", i);
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                var now = clock.GetUtcNow().UtcDateTime;
                await using var conn = await db.OpenConnectionAsync();
                var row = await conn.QuerySingleOrDefaultAsync<GroupRow>($"""
                    INSERT INTO custom_property_groups AS g (company_id, id, internal_name, label, input_type, object_level, object_types, context,
                                                           is_required, created_at, updated_at)
                    VALUES (@companyId, @id, @internalName, @label, @inputType, @objectLevel, @objectTypes, @context, @required, @now, @now)
                    ON CONFLICT (company_id, internal_name) DO NOTHING
                    RETURNING {GroupRow.Columns}
                    """, new
                {
                    companyId, id = Ids.New(), internalName = r.InternalName!.Trim(), label = r.Label!.Trim(), inputType = r.InputType,
                    objectLevel = r.ObjectLevel ?? "HEADER", objectTypes = (r.ObjectTypes ?? []).Distinct().ToArray(), context = r.Context,
                    required = r.Required ?? false, now,
                }) ?? throw ApiException.Conflict($"A custom property group named '{r.InternalName!.Trim()}' already exists");
                return ApiResults.Ok(row.ToModel([]));
            })
            .WithName("createCustomPropertyGroup")
            .RequirePermission(Permissions.Write("custom-properties"))
            .WithMetadata(new LedgerlightExtension("Create custom property group",
                "Defines a custom property group (Light's API lists groups but has no operation to create one). internalName is unique " +
                "per company (409 otherwise); inputType is SINGLE_SELECT or MULTI_SELECT (values created under the group) or NUMERIC, " +
                "TEXT, BOOLEAN, DATE (records carry inline values); objectTypes limits which records may use it (empty: any).",
                "ExternalCustomPropertyGroupV1Model"));

        app.MapGet("/v1/custom-properties/groups/{groupId}", async (string groupId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync();
                var group = await FindGroupAsync(conn, companyId, Ids.Parse(groupId, "groupId"));
                var values = await ValuesOfAsync(db, companyId, [group.Id]);
                return ApiResults.Ok(group.ToModel(values[group.Id].ToList()));
            })
            .WithName("getCustomPropertyGroupById")
            .RequirePermission(Permissions.Read("custom-properties"));

        app.MapGet("/v1/custom-properties/groups/{groupId}/values", async (string groupId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                var companyId = ctx.Principal().CompanyId;
                Guid id;
                await using (var conn = await db.OpenConnectionAsync()) id = (await FindGroupAsync(conn, companyId, Ids.Parse(groupId, "groupId"))).Id;
                var page = await ListQuery.RunAsync(db, ValueSpec, QueryFlags.List(ctx), companyId,
                    where => where.Add($"cv.group_id = {where.Param(id)}"), ctx.RequestAborted);
                return ApiResults.Ok(page.Map(v => v.ToModel()));
            })
            .WithName("listPaginatedCustomPropertyValues")
            .RequirePermission(Permissions.Read("custom-properties"));

        app.MapPost("/v1/custom-properties/groups/{groupId}/values", async (string groupId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var gid = Ids.Parse(groupId, "groupId");
                var r = await RequestBody.ReadAsync<CreateCustomPropertyValueRequest>(ctx);
                var v = new Validation();
                v.Required(r.InternalName, "internalName");
                v.MaxLength(r.InternalName, 100, "internalName");
                v.Required(r.Label, "label");
                v.MaxLength(r.Label, 255, "label");
                v.MaxLength(r.Context, 1000, "context");
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync();
                var group = await FindGroupAsync(conn, companyId, gid);
                if (CustomPropertyRequests.InlineInputTypes.Contains(group.InputType))
                    throw ApiException.Unprocessable($"Group {group.InternalName} is {group.InputType}: records carry inline values, it has no values to select");
                var now = clock.GetUtcNow().UtcDateTime;
                var id = Ids.New();
                var inserted = await conn.ExecuteAsync("""
                    INSERT INTO custom_property_values (company_id, id, group_id, internal_name, label, context, created_at, updated_at)
                    VALUES (@companyId, @id, @gid, @internalName, @label, @context, @now, @now)
                    ON CONFLICT (company_id, group_id, internal_name) DO NOTHING
                    """, new { companyId, id, gid, internalName = r.InternalName!.Trim(), label = r.Label!.Trim(), context = r.Context, now });
                if (inserted == 0) throw ApiException.Conflict($"Group {group.InternalName} already has a value named '{r.InternalName!.Trim()}'");
                return ApiResults.Ok((await FindValueAsync(conn, companyId, gid, id)).ToModel());
            })
            .WithName("createCustomPropertyValue")
            .RequirePermission(Permissions.Write("custom-properties"));

        app.MapGet("/v1/custom-properties/groups/{groupId}/values/{valueId}", async (string groupId, string valueId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                await using var conn = await db.OpenConnectionAsync();
                var row = await FindValueAsync(conn, ctx.Principal().CompanyId, Ids.Parse(groupId, "groupId"), Ids.Parse(valueId, "valueId"));
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("getCustomPropertyValueById")
            .RequirePermission(Permissions.Read("custom-properties"));

        app.MapPatch("/v1/custom-properties/groups/{groupId}/values/{valueId}", async (string groupId, string valueId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var gid = Ids.Parse(groupId, "groupId");
                var id = Ids.Parse(valueId, "valueId");
                var (r, body) = await RequestBody.ReadWithRootAsync<UpdateCustomPropertyValueRequest>(ctx);
                var v = new Validation();
                if (body.TryGetProperty("label", out var label) && label.ValueKind == System.Text.Json.JsonValueKind.Null) v.Add("'label' cannot be cleared", "label");
                if (r.Label is not null) v.Required(r.Label, "label");
                v.MaxLength(r.Label, 255, "label");
                v.MaxLength(r.Context, 1000, "context");
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync();
                await FindValueAsync(conn, companyId, gid, id);
                await conn.ExecuteAsync("""
                    UPDATE custom_property_values
                       SET label = CASE WHEN @setLabel THEN @label ELSE label END,
                           context = CASE WHEN @setContext THEN @context ELSE context END,
                           updated_at = @now
                     WHERE company_id = @companyId AND group_id = @gid AND id = @id
                    """, new
                {
                    companyId, gid, id, setLabel = r.Label is not null, label = r.Label?.Trim(), setContext = body.TryGetProperty("context", out _),
                    context = r.Context, now = clock.GetUtcNow().UtcDateTime,
                });
                return ApiResults.Ok((await FindValueAsync(conn, companyId, gid, id)).ToModel());
            })
            .WithName("updateCustomPropertyValue")
            .RequirePermission(Permissions.Write("custom-properties"));

        app.MapDelete("/v1/custom-properties/groups/{groupId}/values/{valueId}", async (string groupId, string valueId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                var gid = Ids.Parse(groupId, "groupId");
                var id = Ids.Parse(valueId, "valueId");
                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync();
                var row = await FindValueAsync(conn, companyId, gid, id);
                await conn.ExecuteAsync("DELETE FROM custom_property_values WHERE company_id = @companyId AND group_id = @gid AND id = @id",
                    new { companyId, gid, id });
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("deleteCustomPropertyValue")
            .RequirePermission(Permissions.Write("custom-properties"));
    }

    static async Task<GroupRow> FindGroupAsync(NpgsqlConnection conn, Guid companyId, Guid groupId) =>
        await conn.QuerySingleOrDefaultAsync<GroupRow>(
            $"SELECT {GroupRow.Columns} FROM custom_property_groups g WHERE g.company_id = @companyId AND g.id = @groupId",
            new { companyId, groupId }) ?? throw ApiException.NotFound("Custom property group");

    static async Task<ValueRow> FindValueAsync(NpgsqlConnection conn, Guid companyId, Guid groupId, Guid valueId) =>
        await conn.QuerySingleOrDefaultAsync<ValueRow>(
            $"SELECT {ValueRow.Columns} FROM {ValueRow.From} WHERE cv.company_id = @companyId AND cv.group_id = @groupId AND cv.id = @valueId",
            new { companyId, groupId, valueId }) ?? throw ApiException.NotFound("Custom property value");

    static async Task<ILookup<Guid, CustomPropertyValueModel>> ValuesOfAsync(NpgsqlDataSource db, Guid companyId, Guid[] groupIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<ValueRow>(
            $"SELECT {ValueRow.Columns} FROM {ValueRow.From} WHERE cv.company_id = @companyId AND cv.group_id = ANY(@groupIds) ORDER BY cv.created_at, cv.id",
            new { companyId, groupIds });
        return rows.ToLookup(r => r.GroupId, r => r.ToModel());
    }
}
