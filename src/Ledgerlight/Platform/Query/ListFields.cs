namespace Ledgerlight.Platform.Query;

/// <summary>
/// The query fields nearly every list spec declares the same way (id, createdAt, updatedAt over the row's own columns), and
/// the spec header that follows from a table's conventions (company_id tenancy, id as the tie-breaker).
/// <paramref name="alias"/> is the FROM alias ("c" for "contracts c"), or "" when the table is not aliased.
/// </summary>
public static class ListFields
{
    static string Column(string alias, string column) => alias.Length == 0 ? column : $"{alias}.{column}";

    public static QueryField Id(string alias = "") => new("id", Column(alias, "id"), FieldType.Uuid);

    public static QueryField CreatedAt(string alias = "") => new("createdAt", Column(alias, "created_at"), FieldType.Timestamp);

    public static QueryField UpdatedAt(string alias = "") => new("updatedAt", Column(alias, "updated_at"), FieldType.Timestamp);

    /// <summary>
    /// A spec over <paramref name="table"/> (aliased <paramref name="alias"/> unless ""): restricted by its company_id, ordered
    /// last by its id. Sorts, filters, search and the default order are the endpoint's own.
    /// </summary>
    public static ListSpec<T> Spec<T>(string table, string alias, string select, Func<T, Guid> idOf,
        IReadOnlyList<(QueryField Field, Func<T, object?> Value)> sortable, IReadOnlyList<QueryField> filterable,
        (string Field, SortDirection Direction) defaultSort, IReadOnlyList<string>? searchColumns = null) => new()
    {
        From = alias.Length == 0 ? table : $"{table} {alias}",
        Select = select,
        CompanyColumn = Column(alias, "company_id"),
        Id = Id(alias),
        IdOf = idOf,
        Sortable = sortable,
        Filterable = filterable,
        SearchColumns = searchColumns ?? [],
        DefaultSort = defaultSort,
    };
}
