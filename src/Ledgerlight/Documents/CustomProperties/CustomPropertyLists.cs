namespace Ledgerlight.Documents.CustomProperties;

/// <summary>Sorts and filters of the two list operations (listPaginatedCustomPropertyGroups, listPaginatedCustomPropertyValues).</summary>
public static class CustomPropertyLists
{
    static readonly QueryField GroupCreatedAt = ListFields.CreatedAt("g");
    static readonly QueryField GroupLabel = new("label", "g.label", FieldType.Text);

    public static readonly ListSpec<GroupRow> GroupSpec = ListFields.Spec<GroupRow>("custom_property_groups", "g", GroupRow.Columns, g => g.Id,
        sortable: [(GroupLabel, g => g.Label), (GroupCreatedAt, g => g.CreatedAt)],
        filterable:
        [
            ListFields.Id("g"),
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
            ListFields.UpdatedAt("g"),
        ],
        defaultSort: ("createdAt", SortDirection.Asc));

    static readonly QueryField ValueLabel = new("label", "cv.label", FieldType.Text);
    static readonly QueryField ValueName = new("value", "cv.internal_name", FieldType.Text);
    static readonly QueryField ValueCreatedAt = ListFields.CreatedAt("cv");

    public static readonly ListSpec<ValueRow> ValueSpec = new()
    {
        From = ValueRow.From,
        Select = ValueRow.Columns,
        CompanyColumn = "cv.company_id",
        Id = ListFields.Id("cv"),
        IdOf = v => v.Id,
        Sortable = [(ValueLabel, v => v.Label), (ValueName, v => v.InternalName), (ValueCreatedAt, v => v.CreatedAt)],
        Filterable = [ListFields.Id("cv"), ValueLabel, ValueName, ValueCreatedAt, ListFields.UpdatedAt("cv")],
        DefaultSort = ("createdAt", SortDirection.Asc),
    };
}
