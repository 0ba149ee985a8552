namespace Ledgerlight.Platform.Query;

/// <summary>
/// The query fields many list specs declare the same way (id, createdAt, updatedAt, companyEntityId, status, state, vendorId,
/// vendorName), and the spec header that follows from a table's conventions (company_id tenancy, id as the tie-breaker).
/// <paramref name="alias"/> is the FROM alias ("c" for "contracts c"), or "" when the table is not aliased.
/// A field absent from here is one only its own list has.
/// </summary>
public static class ListFields
{
    static string Column(string alias, string column) => alias.Length == 0 ? column : $"{alias}.{column}";

    public static QueryField Id(string alias = "", string name = "id") => new(name, Column(alias, "id"), FieldType.Uuid);

    public static QueryField CreatedAt(string alias = "") => new("createdAt", Column(alias, "created_at"), FieldType.Timestamp);

    public static QueryField UpdatedAt(string alias = "") => new("updatedAt", Column(alias, "updated_at"), FieldType.Timestamp);

    public static QueryField EntityId(string alias) => new("companyEntityId", Column(alias, "company_entity_id"), FieldType.Uuid);

    public static QueryField Status(string alias) => new("status", Column(alias, "status"), FieldType.Enum);

    public static QueryField State(string alias) => new("state", Column(alias, "state"), FieldType.Enum);

    public static QueryField VendorId(string alias) => new("vendorId", Column(alias, "vendor_id"), FieldType.Uuid, Nullable: true);

    /// <summary>The joined vendor's name (every list that shows it joins vendors as v).</summary>
    public static QueryField VendorName(string name = "vendorName") => new(name, "v.name", FieldType.Text, Nullable: true);

    /// <summary>
    /// A spec over <paramref name="table"/> (aliased <paramref name="alias"/> unless ""): restricted by its company_id, ordered
    /// last by its id. Sorts, filters, search and the default order are the endpoint's own.
    /// </summary>
    public static ListSpec<T> Spec<T>(string table, string alias, string select, Func<T, Guid> idOf,
        IReadOnlyList<(QueryField Field, Func<T, object?> Value)> sortable, IReadOnlyList<QueryField> filterable,
        (string Field, SortDirection Direction) defaultSort, IReadOnlyList<string>? searchColumns = null) =>
        SpecFrom(alias, alias.Length == 0 ? table : $"{table} {alias}", select, idOf, sortable, filterable, defaultSort, searchColumns);

    /// <summary>
    /// The same over a FROM clause of its own (a join), whose main table is aliased <paramref name="alias"/>;
    /// <paramref name="idName"/> is the API name of the id field.
    /// </summary>
    public static ListSpec<T> SpecFrom<T>(string alias, string from, string select, Func<T, Guid> idOf,
        IReadOnlyList<(QueryField Field, Func<T, object?> Value)> sortable, IReadOnlyList<QueryField> filterable,
        (string Field, SortDirection Direction) defaultSort, IReadOnlyList<string>? search = null, string idName = "id") => new()
    {
        From = from,
        Select = select,
        CompanyColumn = Column(alias, "company_id"),
        Id = Id(alias, idName),
        IdOf = idOf,
        Sortable = sortable,
        Filterable = filterable,
        SearchColumns = search ?? [],
        DefaultSort = defaultSort,
    };
}
