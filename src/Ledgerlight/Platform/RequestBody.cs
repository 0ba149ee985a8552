using System.Text.Json;
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

    /// <summary>Also returns the parsed document, for PATCH handlers that must tell null from absent.</summary>
    public static async Task<(T Value, JsonElement Root)> ReadWithRootAsync<T>(HttpContext ctx) where T : class
    {
        var bytes = await ReadBytesAsync(ctx);
        if (bytes.Length == 0) throw ApiException.BadRequest("Request body is required");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Malformed JSON: {Trim(e.Message)}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest("Request body must be a JSON object");
            try
            {
                var value = doc.RootElement.Deserialize<T>(Json.Options)
                            ?? throw ApiException.BadRequest("Request body must be a JSON object");
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
    }

    /// <summary>Reads the raw body, enforcing media type and size; an empty body gives an empty array.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        if (request.ContentLength is > MaxBytes) throw TooLarge();
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && !IsJson(request.ContentType))
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                $"Content-Type '{request.ContentType}' is not supported; send application/json");

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length > 0 && !IsJson(request.ContentType))
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                $"Content-Type '{request.ContentType}' is not supported; send application/json");
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
