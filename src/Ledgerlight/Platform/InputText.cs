namespace Ledgerlight.Platform;

/// <summary>
/// Text a request may carry. PostgreSQL cannot store U+0000 at all (a NUL in a parameter fails the
/// statement with 22021), other C0 control characters have no business in finance data, and an
/// unpaired surrogate is not text. The edge refuses all three once, for every request: in body
/// strings and property names (<see cref="RequestBody"/>), and in the path and query string
/// (<see cref="InputTextMiddleware"/>). Tab, CR and LF stay allowed (memos, addresses).
/// </summary>
public static class InputText
{
    /// <summary>The index of the first character the edge refuses, or -1 when the text is clean.</summary>
    public static int FindForbidden(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ')
            {
                if (c is '\t' or '\r' or '\n') continue;
                return i;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return i;
            }
            if (char.IsLowSurrogate(c)) return i;
        }
        return -1;
    }

    /// <summary>Names the refused character without echoing the text around it.</summary>
    public static string Describe(char c) => c switch
    {
        '\0' => "a NUL character (U+0000)",
        < ' ' => $"the control character U+{(int)c:X4}",
        _ => $"an unpaired surrogate (U+{(int)c:X4})",
    };
}

/// <summary>
/// Refuses a path segment or query-string value carrying a character <see cref="InputText"/> forbids,
/// before authentication or any endpoint runs, so no such text ever reaches a store.
/// </summary>
public sealed class InputTextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        var bad = InputText.FindForbidden(path);
        if (bad >= 0)
            throw ApiException.BadRequest($"The request path contains {InputText.Describe(path[bad])}", "path");
        foreach (var (name, values) in ctx.Request.Query)
        {
            bad = InputText.FindForbidden(name);
            if (bad >= 0)
                throw ApiException.BadRequest($"A query parameter name contains {InputText.Describe(name[bad])}", "query");
            foreach (var value in values)
            {
                if (value is null) continue;
                bad = InputText.FindForbidden(value);
                if (bad >= 0)
                    throw ApiException.BadRequest($"Query parameter '{name}' contains {InputText.Describe(value[bad])}", name);
            }
        }
        return next(ctx);
    }
}
