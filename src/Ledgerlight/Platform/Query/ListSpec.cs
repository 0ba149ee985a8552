namespace Ledgerlight.Platform.Query;

public enum FieldType { Uuid, Text, Enum, Integer, Date, Timestamp, Boolean }

/// <summary>
/// One queryable field of a list endpoint: its API name, the SQL expression it stands for and how
/// its values parse. <see cref="CustomFilter"/> replaces the plain comparison for fields that are
/// not a scalar column (array membership, a related table...).
/// </summary>
public sealed record QueryField(string Name, string Sql, FieldType Type, bool Nullable = false)
{
    /// <summary>Builds the SQL predicate from the operator and the (already added) parameter name.</summary>
    public Func<FilterOperator, string, string>? CustomFilter { get; init; }
}

public enum SortDirection { Asc, Desc }

/// <summary>
/// What a list endpoint lets callers do: sortable and filterable fields (taken from the operation's
/// parameter descriptions in Light's spec), searchable columns and the default order. Anything
/// else in sort or filter is a 400.
/// </summary>
public sealed class ListSpec<T>
{
    /// <summary>FROM clause, aliased; e.g. "vendors v".</summary>
    public required string From { get; init; }
    /// <summary>SELECT list producing the columns T maps from.</summary>
    public required string Select { get; init; }
    /// <summary>The tenancy column every query is restricted by, e.g. "v.company_id".</summary>
    public required string CompanyColumn { get; init; }
    /// <summary>Unique, non-null tie-breaker that makes every order total (keyset pagination needs it).</summary>
    public required QueryField Id { get; init; }
    public required Func<T, Guid> IdOf { get; init; }
    public required IReadOnlyList<(QueryField Field, Func<T, object?> Value)> Sortable { get; init; }
    public required IReadOnlyList<QueryField> Filterable { get; init; }
    public IReadOnlyList<string> SearchColumns { get; init; } = [];
    public required (string Field, SortDirection Direction) DefaultSort { get; init; }

    /// <summary>
    /// The same list selecting <paramref name="columns"/> as well, for a flag that asks for costlier columns: the default
    /// page keeps its cheaper statement and only the callers that ask pay for the extra columns.
    /// </summary>
    public ListSpec<T> AlsoSelecting(string columns) => new()
    {
        From = From,
        Select = Select + ", " + columns,
        CompanyColumn = CompanyColumn,
        Id = Id,
        IdOf = IdOf,
        Sortable = Sortable,
        Filterable = Filterable,
        SearchColumns = SearchColumns,
        DefaultSort = DefaultSort,
    };

    /// <summary>
    /// <paramref name="withKeys"/> (this list with costlier sort keys selected, <see cref="AlsoSelecting"/>) when the request sorts
    /// by one of <paramref name="fields"/>, else this list: a cursor is made of the last row's keys, so only a page sorted by
    /// such a key needs it in its rows, and every other page keeps the cheaper statement.
    /// </summary>
    public ListSpec<T> SortedBy(ListRequest request, IReadOnlyCollection<string> fields, ListSpec<T> withKeys) =>
        request.Sort.Any(s => fields.Contains(s.Field)) ? withKeys : this;
}

/// <summary>Building blocks for custom filters that test a related row (EXISTS / IN subqueries).</summary>
public static class FilterSql
{
    /// <summary>The positive comparison of a column with the filter's parameter (in/not_in both become "= ANY").</summary>
    public static string Compare(FilterOperator op, string column, string parameter) => op switch
    {
        FilterOperator.Eq or FilterOperator.Ne => $"{column} = {parameter}",
        FilterOperator.In or FilterOperator.NotIn => $"{column} = ANY({parameter})",
        FilterOperator.Gt => $"{column} > {parameter}",
        FilterOperator.Gte => $"{column} >= {parameter}",
        FilterOperator.Lt => $"{column} < {parameter}",
        _ => $"{column} <= {parameter}",
    };

    /// <summary>ne and not_in negate the positive test.</summary>
    public static string Apply(FilterOperator op, string positive) =>
        op is FilterOperator.Ne or FilterOperator.NotIn ? $"NOT ({positive})" : positive;
}
