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
