using System.Text.RegularExpressions;

namespace Ledgerlight.Platform;

/// <summary>
/// Collects the field errors of a request so the client learns them at once: all of them counted,
/// the first <see cref="ApiException.MaxErrors"/> kept (a huge bad body costs a counter, not memory).
/// </summary>
public sealed partial class Validation
{
    readonly List<FieldError> _errors = [];
    int _total;

    public bool HasErrors => _total > 0;

    /// <summary>How many errors were found, including those past the ones kept.</summary>
    public int Count => _total;

    public void Add(string message, params object[] path) => Keep("BAD_REQUEST", message, path);

    /// <summary>
    /// A field error under a code of its own in errors[].type, where Light's text names the code a rule is refused
    /// with (the response stays a 400 BAD_REQUEST). A separate name, not an Add overload: with two params overloads,
    /// Add("message", "field") would bind to (type, message) and silently turn every path into a type.
    /// </summary>
    public void AddCoded(string type, string message, params object[] path) => Keep(type, message, path);

    public void Required(object? value, params object[] path)
    {
        if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
            Keep("MISSING_FIELD", $"'{Join(path)}' is required", path);
    }

    void Keep(string type, string message, object[] path)
    {
        if (++_total <= ApiException.MaxErrors) _errors.Add(new FieldError(type, message, path));
    }

    public void MaxLength(string? value, int max, params object[] path)
    {
        if (value is not null && value.Length > max)
            Add($"'{Join(path)}' must be at most {max} characters", path);
    }

    public void Email(string? value, params object[] path)
    {
        if (!string.IsNullOrEmpty(value) && !EmailPattern().IsMatch(value))
            Add($"'{Join(path)}' is not a valid email address", path);
    }

    public void Currency(string? value, params object[] path)
    {
        if (value is not null && !CurrencyCodes.IsKnown(value))
            Add($"'{Join(path)}' is not an ISO 4217 currency code", path);
    }

    public void Country(string? value, params object[] path)
    {
        if (value is not null && !Countries.IsKnown(value))
            Add($"'{Join(path)}' is not a known country code", path);
    }

    public void NonNegative(long? value, params object[] path)
    {
        if (value is < 0) Add($"'{Join(path)}' must not be negative", path);
    }

    public void ThrowIfAny()
    {
        if (_total > 0) throw ApiException.Invalid(_errors, _total);
    }

    /// <summary>Runs the checks and answers 400 with every error they found.</summary>
    public static void Check(Action<Validation> checks)
    {
        var v = new Validation();
        checks(v);
        v.ThrowIfAny();
    }

    /// <summary>For business-rule checks: the same field errors under another status (e.g. 422).</summary>
    public void ThrowIfAny(int status, string message)
    {
        if (_total > ApiException.MaxErrors) message += $" ({_total} errors, first {ApiException.MaxErrors} shown)";
        if (_total > 0) throw new ApiException(status, ErrorTypes.ForStatus(status), message, _errors);
    }

    /// <summary>
    /// The one check for fields a PATCH may change but not clear: an explicit null on any of them is a
    /// 400 naming the field (under <paramref name="prefix"/> for nested objects such as a line).
    /// </summary>
    public void RefuseClearing(JsonElement body, IReadOnlyCollection<string> fields, params object[] prefix)
    {
        if (body.ValueKind != JsonValueKind.Object) return;
        foreach (var field in fields)
            if (body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Null)
                Add($"'{field}' cannot be cleared", [.. prefix, field]);
    }

    static string Join(object[] path) => string.Join('.', path);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

public static class Ids
{
    /// <summary>A record id from the route (the group's pattern names it), parsed as <see cref="Parse"/> does.</summary>
    public static Guid FromRoute(HttpContext ctx, string name) => Parse(ctx.Request.RouteValues[name] as string ?? "", name);

    /// <summary>Parses a UUID from a path segment; a malformed one is a 400, not a 404.</summary>
    public static Guid Parse(string value, string name)
    {
        if (!Guid.TryParse(value, out var id))
            throw ApiException.BadRequest($"'{name}' is not a valid UUID", name);
        return id;
    }

    public static Guid New()
    {
        var id = Guid.CreateVersion7();
        IdempotencyScope.NoteCreated(id);
        return id;
    }
}
