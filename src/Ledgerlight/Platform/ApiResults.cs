namespace Ledgerlight.Platform;

/// <summary>JSON results in the wire format (camelCase, nulls omitted, Light's content type).</summary>
public static class ApiResults
{
    public static IResult Ok<T>(T value, int status = StatusCodes.Status200OK) => new JsonResult<T>(value, status);

    public static IResult Created<T>(T value) => new JsonResult<T>(value, StatusCodes.Status200OK);

    sealed class JsonResult<T>(T value, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext ctx)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = Json.ContentType;
            await ctx.Response.Body.WriteAsync(Json.Serialize(value), ctx.RequestAborted);
        }
    }
}

public static class QueryFlags
{
    /// <summary>Reads an optional boolean query parameter; anything but true/false is a 400.</summary>
    public static bool Bool(HttpContext ctx, string name)
    {
        var raw = ctx.Request.Query[name].ToString();
        if (raw.Length == 0) return false;
        return bool.TryParse(raw, out var v) ? v : throw ApiException.BadRequest($"'{name}' must be true or false", name);
    }

    /// <summary>An optional enum-valued query parameter, checked against the values this server knows.</summary>
    public static string? OneOf(HttpContext ctx, string name, IReadOnlyCollection<string> allowed)
    {
        var raw = ctx.Request.Query[name].ToString();
        if (raw.Length == 0) return null;
        return allowed.Contains(raw) ? raw
            : throw ApiException.BadRequest($"'{name}' must be one of {string.Join(", ", allowed)}", name);
    }

    /// <summary>
    /// The related objects a list embeds (<c>include=A,B</c> or <c>include=A&amp;include=B</c>); a value the endpoint does not
    /// know is a 400 rather than a silently thinner answer.
    /// </summary>
    public static IReadOnlySet<string> Include(HttpContext ctx, params string[] allowed)
    {
        var values = ctx.Request.Query["include"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var value in values)
            if (!allowed.Contains(value))
                throw ApiException.BadRequest($"'include' supports {string.Join(", ", allowed)} only", "include");
        return values;
    }

    public static ListRequest List(HttpContext ctx) => ListRequest.Parse(ctx.Request.Query);
}
