namespace Ledgerlight.Platform.Query;

public enum FilterOperator { Eq, Ne, In, NotIn, Gt, Gte, Lt, Lte }

public sealed record FilterClause(string Field, FilterOperator Operator, IReadOnlyList<string?> Values);

public sealed record SortClause(string Field, SortDirection Direction);

/// <summary>
/// The query-string part of every Light list call: sort, filter, limit, offset, cursor and
/// searchTerm, parsed with the grammar of Light's docs. Field names are checked later against the
/// endpoint's <see cref="ListSpec{T}"/>.
/// </summary>
public sealed record ListRequest(
    IReadOnlyList<SortClause> Sort,
    IReadOnlyList<FilterClause> Filters,
    int Limit,
    long Offset,
    string? Cursor,
    string? SearchTerm)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    const int MaxClauses = 20;

    public bool UsesCursor => Cursor is not null;

    public static ListRequest Parse(IQueryCollection query)
    {
        var limit = DefaultLimit;
        var rawLimit = query["limit"].ToString();
        if (rawLimit.Length > 0)
        {
            if (!int.TryParse(rawLimit, out limit) || limit < 1)
                throw ApiException.BadRequest("'limit' must be a positive integer", "limit");
            if (limit > MaxLimit)
                throw ApiException.BadRequest($"'limit' must be at most {MaxLimit}", "limit");
        }

        long offset = 0;
        var rawOffset = query["offset"].ToString();
        if (rawOffset.Length > 0 && (!long.TryParse(rawOffset, out offset) || offset < 0))
            throw ApiException.BadRequest("'offset' must be a non-negative integer", "offset");

        var cursor = query.ContainsKey("cursor") ? query["cursor"].ToString() : null;
        if (cursor is not null && offset > 0)
            throw ApiException.BadRequest("Use either 'cursor' or 'offset', not both", "offset");

        var search = query["searchTerm"].ToString();
        if (search.Length > 200) throw ApiException.BadRequest("'searchTerm' must be at most 200 characters", "searchTerm");

        return new ListRequest(ParseSort(query["sort"].ToString()), ParseFilters(query["filter"].ToString()),
            limit, offset, cursor, search.Trim().Length > 0 ? search.Trim() : null);
    }

    static List<SortClause> ParseSort(string raw)
    {
        var result = new List<SortClause>();
        if (raw.Length == 0) return result;
        foreach (var part in raw.Split(','))
        {
            var pieces = part.Trim().Split(':');
            if (pieces.Length is < 1 or > 2 || pieces[0].Length == 0)
                throw ApiException.BadRequest($"Invalid sort '{part}': expected field:direction", "sort");
            var direction = SortDirection.Asc;
            if (pieces.Length == 2)
            {
                direction = pieces[1].ToLowerInvariant() switch
                {
                    "asc" => SortDirection.Asc,
                    "desc" => SortDirection.Desc,
                    _ => throw ApiException.BadRequest($"Invalid sort direction '{pieces[1]}': use asc or desc", "sort"),
                };
            }
            if (result.Any(s => s.Field == pieces[0]))
                throw ApiException.BadRequest($"Sort field '{pieces[0]}' given twice", "sort");
            result.Add(new SortClause(pieces[0], direction));
        }
        if (result.Count > MaxClauses) throw ApiException.BadRequest($"At most {MaxClauses} sort fields", "sort");
        return result;
    }

    static List<FilterClause> ParseFilters(string raw)
    {
        var result = new List<FilterClause>();
        if (raw.Length == 0) return result;
        foreach (var part in raw.Split(','))
        {
            // field:operator:value; the value may itself contain ':' (timestamps), so split twice only.
            var pieces = part.Split(':', 3);
            if (pieces.Length != 3 || pieces[0].Trim().Length == 0)
                throw ApiException.BadRequest($"Invalid filter '{part}': expected field:operator:value", "filter");
            var op = pieces[1].Trim().ToLowerInvariant() switch
            {
                "eq" => FilterOperator.Eq,
                "ne" => FilterOperator.Ne,
                "in" => FilterOperator.In,
                "not_in" => FilterOperator.NotIn,
                "gt" => FilterOperator.Gt,
                "gte" => FilterOperator.Gte,
                "lt" => FilterOperator.Lt,
                "lte" => FilterOperator.Lte,
                _ => throw ApiException.BadRequest(
                    $"Unknown filter operator '{pieces[1]}': use eq, ne, in, not_in, gt, gte, lt or lte", "filter"),
            };
            var values = op is FilterOperator.In or FilterOperator.NotIn
                ? pieces[2].Split('|').Select(NullLiteral).ToList()
                : [NullLiteral(pieces[2])];
            if (values.Count > 100) throw ApiException.BadRequest("At most 100 values in one in/not_in filter", "filter");
            result.Add(new FilterClause(pieces[0].Trim(), op, values));
        }
        if (result.Count > MaxClauses) throw ApiException.BadRequest($"At most {MaxClauses} filters", "filter");
        return result;
    }

    static string? NullLiteral(string v) => v == "null" ? null : v;
}
