namespace Ledgerlight.Documents.CustomProperties;

/// <summary>SQL of custom property groups and their selectable values; every statement is scoped to the company.</summary>
public sealed class CustomPropertyStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>The new group; 409 when the company already has a group of that internal name.</summary>
    public async Task<GroupRow> CreateGroupAsync(Guid companyId, CreateCustomPropertyGroupRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        return await conn.QuerySingleOrDefaultAsync<GroupRow>($"""
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
    }

    /// <summary>The group (404 when the company has none of that id).</summary>
    public async Task<GroupRow> GroupAsync(Guid companyId, Guid groupId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<GroupRow>(
            $"SELECT {GroupRow.Columns} FROM custom_property_groups g WHERE g.company_id = @companyId AND g.id = @groupId",
            new { companyId, groupId }) ?? throw ApiException.NotFound("Custom property group");
    }

    public async Task<ValueRow> ValueAsync(Guid companyId, Guid groupId, Guid valueId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<ValueRow>(
            $"SELECT {ValueRow.Columns} FROM {ValueRow.From} WHERE cv.company_id = @companyId AND cv.group_id = @groupId AND cv.id = @valueId",
            new { companyId, groupId, valueId }) ?? throw ApiException.NotFound("Custom property value");
    }

    /// <summary>The values of each group, oldest first.</summary>
    public async Task<ILookup<Guid, CustomPropertyValueModel>> ValuesOfAsync(Guid companyId, Guid[] groupIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<ValueRow>(
            $"SELECT {ValueRow.Columns} FROM {ValueRow.From} WHERE cv.company_id = @companyId AND cv.group_id = ANY(@groupIds) ORDER BY cv.created_at, cv.id",
            new { companyId, groupIds });
        return rows.ToLookup(r => r.GroupId, r => r.ToModel());
    }

    /// <summary>A selectable value of a SINGLE_SELECT or MULTI_SELECT group; 422 for inline groups, 409 for a taken name.</summary>
    public async Task<ValueRow> CreateValueAsync(Guid companyId, Guid groupId, CreateCustomPropertyValueRequest r)
    {
        var group = await GroupAsync(companyId, groupId);
        if (CustomPropertyRequests.InlineInputTypes.Contains(group.InputType))
            throw ApiException.Unprocessable($"Group {group.InternalName} is {group.InputType}: records carry inline values, it has no values to select");
        var id = Ids.New();
        await using (var conn = await db.OpenConnectionAsync())
        {
            var inserted = await conn.ExecuteAsync("""
                INSERT INTO custom_property_values (company_id, id, group_id, internal_name, label, context, created_at, updated_at)
                VALUES (@companyId, @id, @groupId, @internalName, @label, @context, @now, @now)
                ON CONFLICT (company_id, group_id, internal_name) DO NOTHING
                """, new { companyId, id, groupId, internalName = r.InternalName!.Trim(), label = r.Label!.Trim(), context = r.Context, now = clock.GetUtcNow().UtcDateTime });
            if (inserted == 0) throw ApiException.Conflict($"Group {group.InternalName} already has a value named '{r.InternalName!.Trim()}'");
        }
        return await ValueAsync(companyId, groupId, id);
    }

    /// <summary>Changes the label (when sent) and the context (when present in the body, null clears).</summary>
    public async Task<ValueRow> UpdateValueAsync(Guid companyId, Guid groupId, Guid valueId, UpdateCustomPropertyValueRequest r, bool setContext)
    {
        await ValueAsync(companyId, groupId, valueId);
        await using (var conn = await db.OpenConnectionAsync())
            await conn.ExecuteAsync("""
                UPDATE custom_property_values
                   SET label = CASE WHEN @setLabel THEN @label ELSE label END,
                       context = CASE WHEN @setContext THEN @context ELSE context END,
                       updated_at = @now
                 WHERE company_id = @companyId AND group_id = @groupId AND id = @valueId
                """, new
            {
                companyId, groupId, valueId, setLabel = r.Label is not null, label = r.Label?.Trim(), setContext, context = r.Context,
                now = clock.GetUtcNow().UtcDateTime,
            });
        return await ValueAsync(companyId, groupId, valueId);
    }

    /// <summary>Deletes the value and answers it as it was.</summary>
    public async Task<ValueRow> DeleteValueAsync(Guid companyId, Guid groupId, Guid valueId)
    {
        var row = await ValueAsync(companyId, groupId, valueId);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("DELETE FROM custom_property_values WHERE company_id = @companyId AND group_id = @groupId AND id = @valueId",
            new { companyId, groupId, valueId });
        return row;
    }
}
