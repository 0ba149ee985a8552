namespace Ledgerlight.Documents.Kernel;

/// <summary>
/// A PATCH as SQL: present fields change (an explicit null clears), absent ones stay. Collects the
/// SET clause and its parameters; column names come from code, values only ever travel as parameters.
/// </summary>
public sealed class PatchSet
{
    readonly JsonElement _body;
    readonly List<string> _sets = [];

    /// <param name="body">The request body as sent (tells absent from null).</param>
    /// <param name="keys">The row's key and audit parameters (companyId, id, now, userId...), usable in the WHERE clause and in <see cref="Always"/>.</param>
    public PatchSet(JsonElement body, object keys)
    {
        _body = body;
        Parameters = new DynamicParameters(keys);
    }

    public DynamicParameters Parameters { get; }

    public bool Has(string field) => _body.ValueKind == JsonValueKind.Object && _body.TryGetProperty(field, out _);

    /// <summary>Sets <paramref name="column"/> when <paramref name="field"/> is in the body (cast to <paramref name="sqlType"/> when given, e.g. "jsonb").</summary>
    public PatchSet Set(string field, string column, object? value, string? sqlType = null)
    {
        if (Has(field)) Always(column, field, value, sqlType);
        return this;
    }

    /// <summary>
    /// Sets each named property of <paramref name="request"/> whose field the body sends. The field is the property's
    /// camelCase name (the wire's) and the column its snake_case name (the schema's convention), so a patchable field is
    /// named once, with <c>nameof</c>; a field stored under another name, or changed on the way in, goes through <see cref="Set"/>.
    /// </summary>
    public PatchSet Columns<TRequest>(TRequest request, params ReadOnlySpan<string> properties) where TRequest : class
    {
        foreach (var name in properties)
        {
            var column = PatchColumn.Of(typeof(TRequest), name);
            if (Has(column.Field)) Always(column.Column, column.Field, column.Property.GetValue(request));
        }
        return this;
    }

    /// <summary>customProperties replaces the stored list (null or [] clears it); absent, it stays. Every document and line stores them so.</summary>
    public PatchSet CustomProperties(IReadOnlyList<SetCustomPropertyRequest>? properties) =>
        Set("customProperties", "custom_properties", CustomPropertyRequests.ToJson(properties), "jsonb");

    /// <summary>Sets <paramref name="column"/> whatever the body says (audit columns, derived values).</summary>
    public PatchSet Always(string column, string parameter, object? value, string? sqlType = null)
    {
        _sets.Add(sqlType is null ? $"{column} = @{parameter}" : $"{column} = @{parameter}::{sqlType}");
        Parameters.Add(parameter, value);
        return this;
    }

    /// <summary>An expression over existing parameters (e.g. "updated_at = @now").</summary>
    public PatchSet Raw(string assignment)
    {
        _sets.Add(assignment);
        return this;
    }

    public bool IsEmpty => _sets.Count == 0;

    public string Clause => string.Join(", ", _sets);
}

/// <summary>A request property as a patchable column: its wire field, its column, and how to read it (found once per type and name).</summary>
sealed record PatchColumn(string Field, string Column, System.Reflection.PropertyInfo Property)
{
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), PatchColumn> Cache = new();

    public static PatchColumn Of(Type type, string property) => Cache.GetOrAdd((type, property), static key =>
    {
        var info = key.Item1.GetProperty(key.Item2)
            ?? throw new InvalidOperationException($"{key.Item1.Name} has no property {key.Item2}");
        return new(JsonNamingPolicy.CamelCase.ConvertName(info.Name), JsonNamingPolicy.SnakeCaseLower.ConvertName(info.Name), info);
    });
}
