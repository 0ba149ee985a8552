
namespace Ledgerlight.Documents.CustomProperties;

/// <summary>Sorts and filters of the two list operations (listPaginatedCustomPropertyGroups, listPaginatedCustomPropertyValues).</summary>
public static class CustomPropertyLists
{
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
}
