namespace Ledgerlight.Platform;

/// <summary>SetCustomPropertyRequestV1Model: custom property values set on a record (vendors, journal entries, lines...).</summary>
public sealed record SetCustomPropertyRequest(Guid? GroupId, IReadOnlyList<Guid>? ValueIds, IReadOnlyList<string?>? InlineValues);

/// <summary>ExternalCustomPropertyValueV1Model. An inline value (TEXT, NUMERIC...) has no id or timestamps.</summary>
public sealed record CustomPropertyValueModel(
    Guid? Id, Guid GroupId, string GroupInternalName, Guid CompanyId, string InternalName, string Label, string? Context,
    DateTime? CreatedAt, DateTime? UpdatedAt);

/// <summary>ExternalCustomPropertyV1Model: one group's values as set on a record.</summary>
public sealed record CustomPropertyModel(Guid GroupId, string GroupInternalName, IReadOnlyList<CustomPropertyValueModel> Values);

/// <summary>
/// What every area does with the customProperties of a request: <see cref="CheckShape"/> (no
/// database), <see cref="ValidateAsync"/> against the company's groups and values, <see cref="ToJson"/>
/// for the jsonb column, and <see cref="ResolveAsync(NpgsqlConnection, NpgsqlTransaction?, Guid, IReadOnlyList{string?})"/>
/// to turn stored jsonb back into ExternalCustomPropertyV1Model objects.
/// </summary>
public static class CustomPropertyRequests
{
    public static readonly IReadOnlyList<string> InputTypes = ["SINGLE_SELECT", "MULTI_SELECT", "NUMERIC", "TEXT", "BOOLEAN", "DATE"];
    public static readonly IReadOnlySet<string> InlineInputTypes = new HashSet<string> { "NUMERIC", "TEXT", "BOOLEAN", "DATE" };
    public const int MaxGroupsPerRecord = 50;
    public const int MaxValuesPerGroup = 100;
    public const int MaxInlineLength = 1000;

    /// <summary>Rules that need no database: groupId present, each group once, bounded counts.</summary>
    public static void CheckShape(Validation v, IReadOnlyList<SetCustomPropertyRequest>? properties, params object[] path)
    {
        if (properties is null) return;
        if (properties.Count > MaxGroupsPerRecord) v.Add($"At most {MaxGroupsPerRecord} custom properties", path);
        var seen = new HashSet<Guid>();
        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            if (p.GroupId is not { } g) v.Required(null, [.. path, i, "groupId"]);
            else if (!seen.Add(g)) v.Add($"Custom property group {g} appears more than once", [.. path, i, "groupId"]);
            if ((p.ValueIds?.Count ?? 0) > MaxValuesPerGroup) v.Add($"At most {MaxValuesPerGroup} values", [.. path, i, "valueIds"]);
            if ((p.InlineValues?.Count ?? 0) > MaxValuesPerGroup) v.Add($"At most {MaxValuesPerGroup} values", [.. path, i, "inlineValues"]);
        }
    }

    sealed class GroupInfo
    {
        public Guid Id { get; set; }
        public string InternalName { get; set; } = "";
        public string InputType { get; set; } = "";
        public string[] ObjectTypes { get; set; } = [];
        public bool IsDeleted { get; set; }
    }

    /// <summary>
    /// Checks the request against the company's tables: the group exists (404-worthy ids are a 400
    /// here, as a wrong reference in a body), applies to <paramref name="objectType"/> (e.g. "VENDOR")
    /// when the group names object types, value ids belong to the group (one for SINGLE_SELECT),
    /// and inline values only for inline input types, parseable as that type.
    /// </summary>
    public static async Task ValidateAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, string objectType,
        IReadOnlyList<SetCustomPropertyRequest>? properties, Validation v, params object[] path)
    {
        CheckShape(v, properties, path);
        if (properties is null || properties.Count == 0) return;
        var groupIds = properties.Where(p => p.GroupId is not null).Select(p => p.GroupId!.Value).Distinct().ToArray();
        var groups = (await conn.QueryAsync<GroupInfo>("""
                SELECT id, internal_name, input_type, object_types, is_deleted
                  FROM custom_property_groups WHERE company_id = @companyId AND id = ANY(@groupIds)
                """, new { companyId, groupIds }, tx)).ToDictionary(g => g.Id);
        var valueIds = properties.SelectMany(p => p.ValueIds ?? []).Distinct().ToArray();
        var valueGroups = (await conn.QueryAsync<(Guid Id, Guid GroupId)>(
                "SELECT id, group_id FROM custom_property_values WHERE company_id = @companyId AND id = ANY(@valueIds)",
                new { companyId, valueIds }, tx)).ToDictionary(x => x.Id, x => x.GroupId);

        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            if (p.GroupId is not { } groupId) continue;
            if (!groups.TryGetValue(groupId, out var group) || group.IsDeleted)
            {
                v.Add($"Custom property group {groupId} does not exist", [.. path, i, "groupId"]);
                continue;
            }
            if (group.ObjectTypes.Length > 0 && !group.ObjectTypes.Contains(objectType))
                v.Add($"Custom property group {group.InternalName} does not apply to {objectType}", [.. path, i, "groupId"]);
            var ids = p.ValueIds ?? [];
            var inline = p.InlineValues ?? [];
            var isInline = InlineInputTypes.Contains(group.InputType);
            if (isInline)
            {
                if (ids.Count > 0) v.Add($"Group {group.InternalName} is {group.InputType}: give inlineValues, not valueIds", [.. path, i, "valueIds"]);
                if (inline.Count > 1) v.Add($"Group {group.InternalName} takes one inline value", [.. path, i, "inlineValues"]);
                for (var j = 0; j < inline.Count; j++)
                    if (InlineProblem(group.InputType, inline[j]) is { } problem) v.Add(problem, [.. path, i, "inlineValues", j]);
            }
            else
            {
                if (inline.Count > 0) v.Add($"Group {group.InternalName} is {group.InputType}: give valueIds, not inlineValues", [.. path, i, "inlineValues"]);
                if (group.InputType == "SINGLE_SELECT" && ids.Distinct().Count() > 1)
                    v.Add($"Group {group.InternalName} is SINGLE_SELECT: at most one value", [.. path, i, "valueIds"]);
                for (var j = 0; j < ids.Count; j++)
                    if (!valueGroups.TryGetValue(ids[j], out var owner) || owner != groupId)
                        v.Add($"Custom property value {ids[j]} does not belong to group {group.InternalName}", [.. path, i, "valueIds", j]);
            }
        }
    }

    static string? InlineProblem(string inputType, string? value)
    {
        if (value is null) return "An inline value cannot be null";
        if (value.Length > MaxInlineLength) return $"An inline value must be at most {MaxInlineLength} characters";
        return inputType switch
        {
            "NUMERIC" when !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) => $"'{value}' is not a number",
            "BOOLEAN" when value is not ("true" or "false") => $"'{value}' must be true or false",
            "DATE" when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => $"'{value}' is not a date (YYYY-MM-DD)",
            _ => null,
        };
    }

    sealed record Stored(Guid GroupId, IReadOnlyList<Guid>? ValueIds, IReadOnlyList<string>? InlineValues);

    /// <summary>The jsonb to store for a validated request: [{groupId, valueIds, inlineValues}], groups without values dropped.</summary>
    public static string? ToJson(IReadOnlyList<SetCustomPropertyRequest>? properties)
    {
        if (properties is null) return null;
        var stored = properties
            .Where(p => p.GroupId is not null && ((p.ValueIds?.Count ?? 0) > 0 || (p.InlineValues?.Count ?? 0) > 0))
            .Select(p => new Stored(p.GroupId!.Value, p.ValueIds is { Count: > 0 } ids ? ids.Distinct().ToList() : null,
                p.InlineValues is { Count: > 0 } inline ? inline.Select(x => x!).ToList() : null))
            .ToList();
        return JsonSerializer.Serialize(stored, Json.Options);
    }

    public static async Task<IReadOnlyList<IReadOnlyList<CustomPropertyModel>>> ResolveAsync(NpgsqlDataSource db, Guid companyId,
        IReadOnlyList<string?> storedJson)
    {
        if (storedJson.All(string.IsNullOrEmpty)) return storedJson.Select(_ => (IReadOnlyList<CustomPropertyModel>)[]).ToList();
        await using var conn = await db.OpenConnectionAsync();
        return await ResolveAsync(conn, null, companyId, storedJson);
    }

    sealed class ValueRow
    {
        public Guid Id { get; set; }
        public Guid GroupId { get; set; }
        public string InternalName { get; set; } = "";
        public string Label { get; set; } = "";
        public string? Context { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    /// <summary>
    /// Turns stored jsonb (one entry per record, null for none) into ExternalCustomPropertyV1Model
    /// lists, in one round trip for all records. Values or groups deleted since are left out.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<CustomPropertyModel>>> ResolveAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        Guid companyId, IReadOnlyList<string?> storedJson)
    {
        var parsed = storedJson.Select(j => string.IsNullOrEmpty(j) ? [] : JsonSerializer.Deserialize<List<Stored>>(j, Json.Options) ?? []).ToList();
        var groupIds = parsed.SelectMany(x => x).Select(s => s.GroupId).Distinct().ToArray();
        if (groupIds.Length == 0) return parsed.Select(_ => (IReadOnlyList<CustomPropertyModel>)[]).ToList();
        var valueIds = parsed.SelectMany(x => x).SelectMany(s => s.ValueIds ?? []).Distinct().ToArray();
        var groups = (await conn.QueryAsync<(Guid Id, string InternalName)>(
                "SELECT id, internal_name FROM custom_property_groups WHERE company_id = @companyId AND id = ANY(@groupIds)",
                new { companyId, groupIds }, tx)).ToDictionary(g => g.Id, g => g.InternalName);
        var values = (await conn.QueryAsync<ValueRow>("""
                SELECT id, group_id, internal_name, label, context, created_at, updated_at
                  FROM custom_property_values WHERE company_id = @companyId AND id = ANY(@valueIds)
                """, new { companyId, valueIds }, tx)).ToDictionary(x => x.Id);

        return parsed.Select(record => (IReadOnlyList<CustomPropertyModel>)record
            .Where(s => groups.ContainsKey(s.GroupId))
            .Select(s =>
            {
                var groupName = groups[s.GroupId];
                var list = (s.ValueIds ?? []).Where(values.ContainsKey).Select(id => values[id])
                    .Select(x => new CustomPropertyValueModel(x.Id, x.GroupId, groupName, companyId, x.InternalName, x.Label, x.Context, x.CreatedAt, x.UpdatedAt))
                    .Concat((s.InlineValues ?? []).Select(text => new CustomPropertyValueModel(null, s.GroupId, groupName, companyId, text, text, null, null, null)))
                    .ToList();
                return new CustomPropertyModel(s.GroupId, groupName, list);
            })
            .ToList()).ToList();
    }

    /// <summary>
    /// For callers that cannot store custom properties yet (journal entries): refuse any group
    /// rather than silently dropping the values.
    /// </summary>
    public static void RefuseUnknownGroups(Validation v, IReadOnlyList<SetCustomPropertyRequest>? properties, params object[] path)
    {
        if (properties is null) return;
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].GroupId is null) v.Required(null, [.. path, i, "groupId"]);
            else v.Add($"Custom properties on this record are not stored yet (group {properties[i].GroupId})", [.. path, i, "groupId"]);
        }
    }
}
