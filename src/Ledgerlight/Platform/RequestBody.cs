using System.Text.RegularExpressions;

namespace Ledgerlight.Platform;

/// <summary>
/// Reads a JSON request body with the limits and errors of the wire contract: 415 for a non-JSON
/// media type, 413 past the size limit, 400 with the failing field's path for malformed JSON or a
/// wrong type (a string where a number belongs, a malformed UUID...).
/// </summary>
public static partial class RequestBody
{
    public const int MaxBytes = 1 << 20; // 1 MiB: generous for any document with 500 lines

    public static async Task<T> ReadAsync<T>(HttpContext ctx) where T : class
    {
        var (value, _) = await ReadWithRootAsync<T>(ctx);
        return value;
    }

    /// <summary>Reads the body and runs its checks: any error is a 400 before a store runs.</summary>
    public static async Task<T> ReadValidAsync<T>(HttpContext ctx, Action<T, Validation> validate) where T : class
    {
        var value = await ReadAsync<T>(ctx);
        Validation.Check(v => validate(value, v));
        return value;
    }

    /// <summary>
    /// Reads a PATCH body: fields that may not be cleared refuse null, then the request's checks run,
    /// which also see the parsed document to tell an absent field from a null one.
    /// </summary>
    public static async Task<(T Value, JsonElement Root)> ReadPatchAsync<T>(HttpContext ctx, IReadOnlyCollection<string> notClearable,
        Action<T, JsonElement, Validation> validate) where T : class
    {
        var (value, root) = await ReadWithRootAsync<T>(ctx);
        Validation.Check(v =>
        {
            v.RefuseClearing(root, notClearable);
            validate(value, root, v);
        });
        return (value, root);
    }

    /// <summary>Also returns the parsed document, for PATCH handlers that must tell null from absent.</summary>
    public static Task<(T Value, JsonElement Root)> ReadWithRootAsync<T>(HttpContext ctx) where T : class =>
        ReadRootAsync<T>(ctx, JsonValueKind.Object, "Request body must be a JSON object");

    /// <summary>A body that is a JSON array (batch operations), with the same limits, checks and error paths as an object body.</summary>
    public static async Task<(List<T> Items, JsonElement Root)> ReadArrayAsync<T>(HttpContext ctx) =>
        await ReadRootAsync<List<T>>(ctx, JsonValueKind.Array, "Request body must be a JSON array");

    static async Task<(T Value, JsonElement Root)> ReadRootAsync<T>(HttpContext ctx, JsonValueKind kind, string wrongKind) where T : class
    {
        var bytes = await ReadBytesAsync(ctx);
        if (bytes.Length == 0) throw ApiException.BadRequest("Request body is required");
        using var doc = Parse(bytes);
        if (doc.RootElement.ValueKind != kind) throw ApiException.BadRequest(wrongKind);
        try
        {
            var value = doc.RootElement.Deserialize<T>(Json.Options) ?? throw ApiException.BadRequest(wrongKind);
            return (value, doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            var path = ParsePath(e.Path);
            var field = path.Count > 0 ? string.Join('.', path) : "body";
            throw new ApiException(400, "BAD_REQUEST", $"Invalid value for '{field}': {Describe(e)}",
                [new FieldError("INVALID_TYPE", $"Invalid value for '{field}': {Describe(e)}", path)]);
        }
    }

    /// <summary>
    /// Parses a JSON body and refuses, with the JSON path of the offending value, what no endpoint
    /// accepts: malformed JSON, nesting deeper than 32, a null inside an array (no request item
    /// means anything as null, and handlers must not meet one), and text <see cref="InputText"/>
    /// forbids in any string or property name. One linear walk, whatever the body's shape.
    /// </summary>
    public static JsonDocument Parse(byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Malformed JSON: {Trim(e.Message)}");
        }
        try
        {
            CheckValues(doc.RootElement, []);
            return doc;
        }
        catch
        {
            doc.Dispose();
            throw;
        }
    }

    public const int MaxDepth = 32;

    static void CheckValues(JsonElement element, List<object> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    path.Add(property.Name);
                    CheckText(property.Name, path, "property name");
                    CheckValues(property.Value, path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add(index);
                    if (item.ValueKind == JsonValueKind.Null)
                        throw Refused(path, $"'{Join(path)}' is null; an array may not contain null");
                    CheckValues(item, path);
                    path.RemoveAt(path.Count - 1);
                    index++;
                }
                break;
            case JsonValueKind.String:
                string text;
                try
                {
                    text = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    throw Refused(path, $"'{Join(path)}' is not valid UTF-16 text");
                }
                CheckText(text, path, "value");
                break;
        }
    }

    static void CheckText(string text, List<object> path, string what)
    {
        var bad = InputText.FindForbidden(text);
        if (bad >= 0) throw Refused(path, $"The {what} at '{Join(path)}' contains {InputText.Describe(text[bad])}");
    }

    static ApiException Refused(List<object> path, string message) =>
        new(400, "BAD_REQUEST", message, [new FieldError("BAD_REQUEST", message, path.ToArray())]);

    static string Join(List<object> path) => path.Count == 0 ? "body" : string.Join('.', path);

    /// <summary>Reads the raw body, enforcing media type and size; an empty body gives an empty array.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        if (request.ContentLength is > MaxBytes) throw TooLarge();
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && !IsJson(request.ContentType))
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                $"Content-Type '{request.ContentType}' is not supported; send application/json");

        var bytes = await ReadWithinLimitAsync(ctx);
        if (bytes.Length > 0 && !IsJson(request.ContentType))
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                $"Content-Type '{request.ContentType}' is not supported; send application/json");
        return bytes;
    }

    /// <summary>
    /// The raw body, whatever its media type, refused with 413 past <see cref="MaxBytes"/>: by its declared length before
    /// the first read (so <see cref="LetUnreadBodyDrain"/> can let the client read the answer), else as it arrives.
    /// </summary>
    public static async Task<byte[]> ReadWithinLimitAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentLength is > MaxBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                   && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    static ApiException TooLarge() =>
        new(413, "PAYLOAD_TOO_LARGE", $"Request body exceeds the limit of {MaxBytes} bytes");

    /// <summary>Kestrel discards an unread body of up to this many bytes so a refused client can read its answer.</summary>
    public const long DrainLimit = 64L << 20;

    /// <summary>
    /// Called once the answer is written. Most clients send the whole body before they read the answer; Kestrel
    /// discards what the app left unread so they can, but only within the connection's body-size limit: past it,
    /// it closes the socket and a client still sending a body refused by its declared length (413, or 401 before
    /// it was looked at) sees a reset instead of the envelope. The limit is raised to the declared length, up to
    /// <see cref="DrainLimit"/>, only when the app never started reading: the bytes are read and dropped, never
    /// buffered. (Readers check the declared length before their first read for this reason.)
    /// </summary>
    public static void LetUnreadBodyDrain(HttpContext ctx)
    {
        if (ctx.Request.ContentLength is { } declared && declared <= DrainLimit
            && ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit
            && limit.MaxRequestBodySize < declared)
            limit.MaxRequestBodySize = declared;
    }

    /// <summary>Turns System.Text.Json's "$.lines[0].amount" into ["lines", 0, "amount"].</summary>
    internal static List<object> ParsePath(string? jsonPath)
    {
        var parts = new List<object>();
        if (string.IsNullOrEmpty(jsonPath)) return parts;
        foreach (Match m in PathSegment().Matches(jsonPath))
        {
            if (m.Groups["index"].Success) parts.Add(int.Parse(m.Groups["index"].Value));
            else if (m.Groups["quoted"].Success) parts.Add(m.Groups["quoted"].Value);
            else if (m.Groups["name"].Success) parts.Add(m.Groups["name"].Value);
        }
        return parts;
    }

    static string Describe(JsonException e)
    {
        var inner = e.InnerException?.Message ?? e.Message;
        bool Has(string s) => inner.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("Guid")) return "not a valid UUID";
        if (Has("Decimal") || Has("Double")) return "expected a number";
        if (Has("Int64") || Has("Int32") || Has("as a number")) return "expected an integer";
        if (Has("Boolean")) return "expected true or false";
        if (Has("DateOnly")) return "expected a date (YYYY-MM-DD)";
        if (Has("as a string") || Has("String")) return "expected a string";
        if (Has("array") || Has("IEnumerable") || Has("List")) return "expected an array";
        if (Has("object")) return "expected an object";
        return "wrong type";
    }

    static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_$]+)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex PathSegment();
}
