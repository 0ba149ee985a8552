using System.Text;
using NpgsqlTypes;

namespace Ledgerlight.Platform.Query;

/// <summary>
/// Runs one list call: turns a <see cref="ListRequest"/> into a parameterised SQL query over the
/// endpoint's <see cref="ListSpec{T}"/> (tenancy, filters, search, keyset or offset paging) and
/// returns Light's page envelope. Every value reaches SQL as a parameter; only field expressions
/// declared by the endpoint are ever spliced into the text.
/// </summary>
public static class ListQuery
{
    public static async Task<Page<T>> RunAsync<T>(NpgsqlDataSource db, ListSpec<T> spec, ListRequest request, Guid companyId,
        Action<SqlWhere>? extraConditions = null, CancellationToken ct = default)
    {
        var where = new SqlWhere();
        where.Add($"{spec.CompanyColumn} = {where.Param(companyId)}");
        extraConditions?.Invoke(where);
        AddFilters(spec, request, where);
        AddSearch(spec, request, where);

        var sort = ResolveSort(spec, request);
        var signature = Cursor.SignatureOf(sort.Select(s => new SortClause(s.Field.Name, s.Direction)));

        Cursor? cursor = null;
        if (request.Cursor is { } raw && raw != Cursor.Initial)
        {
            cursor = Cursor.Decode(raw);
            if (cursor.Signature != signature)
                throw ApiException.BadRequest("This cursor belongs to a different sort order; start again with cursor=0", "cursor");
            where.Add(KeysetPredicate(sort, cursor, where));
        }
        var forward = cursor?.Forward ?? true;

        var order = string.Join(", ", sort.Select(s =>
            $"{s.Field.Sql} {((s.Direction == SortDirection.Asc) == forward ? "ASC" : "DESC")}"));
        // LIMIT and OFFSET are parameters like every value: one statement text per query shape, not
        // one per page size, so the few shapes clients use stay prepared on every pooled connection.
        // The count below reuses only the WHERE parameters, so these come after it is built.
        var page = where.Paging(request.Limit + 1, request.UsesCursor ? null : request.Offset);
        var sql = new StringBuilder()
            .Append("SELECT ").Append(spec.Select).Append(" FROM ").Append(spec.From)
            .Append(" WHERE ").Append(where.Sql)
            .Append(" ORDER BY ").Append(order)
            .Append(" LIMIT ").Append(page.Limit);
        if (page.Offset is { } offset) sql.Append(" OFFSET ").Append(offset);

        var rows = await QueryAsync<T>(db, sql.ToString(), where.Parameters.Concat(page.Parameters), ct);
        var hasMore = rows.Count > request.Limit;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        if (!forward) rows.Reverse();

        if (!request.UsesCursor)
        {
            long total = await CountAsync(db, spec, where, ct);
            return new Page<T>(rows, hasMore, total, null, null);
        }

        // Moving forward, "more" lies after the last row; moving back, before the first. Having come
        // from a cursor guarantees rows on the side we came from.
        string? next = null, prev = null;
        if (rows.Count > 0)
        {
            var moreAfter = forward ? hasMore : cursor is not null;
            var moreBefore = forward ? cursor is not null : hasMore;
            if (moreAfter) next = CursorAt(spec, sort, signature, rows[^1], forward: true);
            if (moreBefore) prev = CursorAt(spec, sort, signature, rows[0], forward: false);
        }
        return new Page<T>(rows, forward ? hasMore : cursor is not null, null, next, prev);
    }

    /// <summary>An aggregate (e.g. "max(l.amount)") over every row the request's filters and search select.</summary>
    public static async Task<TResult?> AggregateAsync<TResult, T0>(NpgsqlDataSource db, ListSpec<T0> spec, ListRequest request, Guid companyId,
        string aggregateSql, Action<SqlWhere>? extraConditions = null, CancellationToken ct = default)
    {
        var where = new SqlWhere();
        where.Add($"{spec.CompanyColumn} = {where.Param(companyId)}");
        extraConditions?.Invoke(where);
        AddFilters(spec, request, where);
        AddSearch(spec, request, where);
        await using var cmd = db.CreateCommand($"SELECT {aggregateSql} FROM {spec.From} WHERE {where.Sql}");
        cmd.Parameters.AddRange(where.Parameters.ToArray());
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (TResult)value;
    }

    static async Task<long> CountAsync<T>(NpgsqlDataSource db, ListSpec<T> spec, SqlWhere where, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT count(*) FROM {spec.From} WHERE {where.Sql}");
        cmd.Parameters.AddRange(where.Parameters.Select(p => p.Clone()).ToArray());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource db, string sql, IEnumerable<NpgsqlParameter> parameters, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var parse = reader.GetRowParser<T>();
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(parse(reader));
        return rows;
    }

    sealed record ResolvedSort(QueryField Field, SortDirection Direction, Func<object, object?> Value);

    static List<ResolvedSort> ResolveSort<T>(ListSpec<T> spec, ListRequest request)
    {
        var clauses = request.Sort.Count > 0
            ? request.Sort
            : [new SortClause(spec.DefaultSort.Field, spec.DefaultSort.Direction)];
        var result = new List<ResolvedSort>();
        foreach (var clause in clauses)
        {
            var match = spec.Sortable.FirstOrDefault(s => s.Field.Name == clause.Field);
            if (match.Field is null)
                throw ApiException.BadRequest(
                    $"Cannot sort by '{clause.Field}'. Sortable fields: {string.Join(", ", spec.Sortable.Select(s => s.Field.Name))}", "sort");
            result.Add(new ResolvedSort(match.Field, clause.Direction, o => match.Value((T)o)));
        }
        // The id breaks ties so the order is total and a cursor names exactly one position.
        var idDirection = result[^1].Direction;
        result.Add(new ResolvedSort(spec.Id, idDirection, o => spec.IdOf((T)o)));
        return result;
    }

    static string CursorAt<T>(ListSpec<T> spec, List<ResolvedSort> sort, string signature, T row, bool forward)
    {
        var keys = sort.Take(sort.Count - 1).Select(s => FormatKey(s.Value(row!))).ToList();
        return new Cursor(signature, forward, keys, spec.IdOf(row).ToString()).Encode();
    }

    static string? FormatKey(object? value) => value switch
    {
        null => null,
        DateTime dt => dt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    static object ParseKey(QueryField field, string value)
    {
        try
        {
            return field.Type switch
            {
                FieldType.Uuid => Guid.Parse(value),
                FieldType.Integer => long.Parse(value, CultureInfo.InvariantCulture),
                FieldType.Timestamp => new DateTime(long.Parse(value, CultureInfo.InvariantCulture), DateTimeKind.Utc),
                FieldType.Date => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                FieldType.Boolean => bool.Parse(value),
                _ => value,
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw ApiException.BadRequest("Invalid cursor", "cursor");
        }
    }

    /// <summary>
    /// Rows strictly after (or before) the cursor row in the requested order, nulls included.
    /// PostgreSQL puts NULLs last ascending and first descending, i.e. NULL is the largest value;
    /// the predicate follows the same rule so no row is skipped or repeated.
    /// </summary>
    static string KeysetPredicate(List<ResolvedSort> sort, Cursor cursor, SqlWhere where)
    {
        if (cursor.Keys.Count != sort.Count - 1) throw ApiException.BadRequest("Invalid cursor", "cursor");
        var values = cursor.Keys.Select((k, i) => k is null ? null : ParseKey(sort[i].Field, k)).ToList();
        values.Add(ParseKey(sort[^1].Field, cursor.Id));

        // Fast path: same direction, no nulls -> a row comparison the (company, key, id) index can seek.
        var sameDirection = sort.All(s => s.Direction == sort[0].Direction);
        if (sameDirection && values.All(v => v is not null) && sort.All(s => !s.Field.Nullable))
        {
            var ascendingWalk = (sort[0].Direction == SortDirection.Asc) == cursor.Forward;
            var lhs = string.Join(", ", sort.Select(s => s.Field.Sql));
            var rhs = string.Join(", ", values.Select((v, i) => where.Param(v!, sort[i].Field.Type)));
            return $"({lhs}) {(ascendingWalk ? ">" : "<")} ({rhs})";
        }

        string Build(int i)
        {
            var s = sort[i];
            var v = values[i];
            var ascendingWalk = (s.Direction == SortDirection.Asc) == cursor.Forward;
            string strictlyBeyond;
            if (v is null) strictlyBeyond = ascendingWalk ? "FALSE" : $"{s.Field.Sql} IS NOT NULL";
            else
            {
                var p = where.Param(v, s.Field.Type);
                strictlyBeyond = ascendingWalk
                    ? (s.Field.Nullable ? $"({s.Field.Sql} > {p} OR {s.Field.Sql} IS NULL)" : $"{s.Field.Sql} > {p}")
                    : $"{s.Field.Sql} < {p}";
            }
            if (i == sort.Count - 1) return strictlyBeyond;
            var equal = v is null ? $"{s.Field.Sql} IS NULL" : $"{s.Field.Sql} = {where.Param(v, s.Field.Type)}";
            return $"({strictlyBeyond} OR ({equal} AND {Build(i + 1)}))";
        }
        return Build(0);
    }

    static void AddFilters<T>(ListSpec<T> spec, ListRequest request, SqlWhere where)
    {
        foreach (var filter in request.Filters)
        {
            var field = spec.Filterable.FirstOrDefault(f => f.Name == filter.Field)
                        ?? throw ApiException.BadRequest(
                            $"Cannot filter by '{filter.Field}'. Filterable fields: {string.Join(", ", spec.Filterable.Select(f => f.Name))}", "filter");
            where.Add(FilterPredicate(field, filter, where));
        }
    }

    static string FilterPredicate(QueryField field, FilterClause filter, SqlWhere where)
    {
        var op = filter.Operator;
        var nonNull = filter.Values.Where(v => v is not null).Select(v => ParseFilterValue(field, v!)).ToList();
        var hasNull = filter.Values.Any(v => v is null);

        if (field.CustomFilter is not null)
        {
            if (hasNull) throw ApiException.BadRequest($"'{field.Name}' cannot be compared with null", "filter");
            var param = op is FilterOperator.In or FilterOperator.NotIn
                ? where.ArrayParam(nonNull, field.Type)
                : where.Param(nonNull[0], field.Type);
            return field.CustomFilter(op, param);
        }

        var sql = field.Sql;
        switch (op)
        {
            case FilterOperator.Eq:
                return hasNull ? $"{sql} IS NULL" : $"{sql} = {where.Param(nonNull[0], field.Type)}";
            case FilterOperator.Ne:
                return hasNull ? $"{sql} IS NOT NULL" : $"{sql} IS DISTINCT FROM {where.Param(nonNull[0], field.Type)}";
            case FilterOperator.In:
            {
                var parts = new List<string>();
                if (nonNull.Count > 0) parts.Add($"{sql} = ANY({where.ArrayParam(nonNull, field.Type)})");
                if (hasNull) parts.Add($"{sql} IS NULL");
                return "(" + string.Join(" OR ", parts) + ")";
            }
            case FilterOperator.NotIn:
            {
                var parts = new List<string>();
                if (nonNull.Count > 0) parts.Add($"NOT ({sql} = ANY({where.ArrayParam(nonNull, field.Type)}))");
                parts.Add(hasNull ? $"{sql} IS NOT NULL" : $"{sql} IS NULL");
                // not_in keeps NULL rows unless null is one of the excluded values.
                return hasNull
                    ? "(" + string.Join(" AND ", parts) + ")"
                    : nonNull.Count > 0 ? $"({parts[0]} OR {parts[1]})" : "TRUE";
            }
            default:
                if (hasNull) throw ApiException.BadRequest($"Operator '{op.ToString().ToLowerInvariant()}' cannot compare with null", "filter");
                if (field.Type is FieldType.Boolean or FieldType.Uuid)
                    throw ApiException.BadRequest($"'{field.Name}' supports only eq, ne, in and not_in", "filter");
                var cmp = op switch
                {
                    FilterOperator.Gt => ">",
                    FilterOperator.Gte => ">=",
                    FilterOperator.Lt => "<",
                    _ => "<=",
                };
                return $"{sql} {cmp} {where.Param(nonNull[0], field.Type)}";
        }
    }

    static object ParseFilterValue(QueryField field, string value)
    {
        object? parsed = field.Type switch
        {
            FieldType.Uuid => Guid.TryParse(value, out var g) ? g : null,
            FieldType.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
            FieldType.Boolean => bool.TryParse(value, out var b) ? b : null,
            FieldType.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
            FieldType.Timestamp => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t.UtcDateTime : null,
            _ => value.Length <= 500 ? value : null,
        };
        return parsed ?? throw ApiException.BadRequest(
            $"Invalid value '{value}' for filter '{field.Name}': expected {Describe(field.Type)}", "filter");
    }

    static string Describe(FieldType type) => type switch
    {
        FieldType.Uuid => "a UUID",
        FieldType.Integer => "an integer",
        FieldType.Boolean => "true or false",
        FieldType.Date => "a date (YYYY-MM-DD)",
        FieldType.Timestamp => "an ISO-8601 timestamp",
        _ => "a string of at most 500 characters",
    };

    static void AddSearch<T>(ListSpec<T> spec, ListRequest request, SqlWhere where)
    {
        if (request.SearchTerm is null || spec.SearchColumns.Count == 0) return;
        var escaped = request.SearchTerm.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
        var p = where.Param($"%{escaped}%");
        where.Add("(" + string.Join(" OR ", spec.SearchColumns.Select(c => $"{c} ILIKE {p}")) + ")");
    }
}

/// <summary>Accumulates WHERE conditions and their parameters (@p0, @p1...).</summary>
public sealed class SqlWhere
{
    readonly List<string> _conditions = [];
    public List<NpgsqlParameter> Parameters { get; } = [];

    public string Sql => _conditions.Count == 0 ? "TRUE" : string.Join(" AND ", _conditions);

    public void Add(string condition) => _conditions.Add(condition);

    public string Param(object value, FieldType? type = null)
    {
        var name = $"p{Parameters.Count}";
        var p = new NpgsqlParameter(name, value);
        if (type is FieldType.Text or FieldType.Enum) p.NpgsqlDbType = NpgsqlDbType.Text;
        Parameters.Add(p);
        return "@" + name;
    }

    /// <summary>
    /// LIMIT and OFFSET as parameters named after the WHERE ones (bigint, so the statement's parameter types never
    /// change); kept apart so a count over the same WHERE can omit them. Cursor pages pass no offset and get no OFFSET
    /// clause: with an OFFSET parameter PostgreSQL judges its generic plan dearer than a custom one and plans the
    /// statement again on every run (0.17 ms of planning against 0.01 without, for a vendor page; bench/RESULTS.md,
    /// 2026-12-03). An offset list keeps one statement for every offset, 0 included.
    /// </summary>
    public (string Limit, string? Offset, NpgsqlParameter[] Parameters) Paging(long limit, long? offset)
    {
        var limitParam = new NpgsqlParameter($"p{Parameters.Count}", NpgsqlDbType.Bigint) { Value = limit };
        if (offset is null) return ("@" + limitParam.ParameterName, null, [limitParam]);
        var offsetParam = new NpgsqlParameter($"p{Parameters.Count + 1}", NpgsqlDbType.Bigint) { Value = offset };
        return ("@" + limitParam.ParameterName, "@" + offsetParam.ParameterName, [limitParam, offsetParam]);
    }

    public string ArrayParam(IReadOnlyList<object> values, FieldType type)
    {
        Array array = type switch
        {
            FieldType.Uuid => values.Cast<Guid>().ToArray(),
            FieldType.Integer => values.Cast<long>().ToArray(),
            FieldType.Boolean => values.Cast<bool>().ToArray(),
            FieldType.Date => values.Cast<DateOnly>().ToArray(),
            FieldType.Timestamp => values.Cast<DateTime>().ToArray(),
            _ => values.Cast<string>().ToArray(),
        };
        var name = $"p{Parameters.Count}";
        Parameters.Add(new NpgsqlParameter(name, array));
        return "@" + name;
    }
}
