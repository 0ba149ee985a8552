using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ledgerlight.Tests.Robustness;

public enum Caller { Admin, Viewer, Anonymous, BadCredentials }

/// <summary>One generated request, printable so a failure can be replayed by hand.</summary>
public sealed record GeneratedRequest(int Index, OpenApiOperation Operation, string Method, string Path, string? Body, string? ContentType,
    Caller Caller, string? Authorization, string? IdempotencyKey, string Intent)
{
    public string RequestId => $"fuzz-{Index}";

    /// <summary>Bytes on the wire: the body text, with the invalid-UTF-8 marker turned into real invalid bytes.</summary>
    public byte[]? BodyBytes => Body is null ? null
        : Body.Contains(RequestGenerator.BadUtf8)
            ? Body.Split(RequestGenerator.BadUtf8).Select(Encoding.UTF8.GetBytes).Aggregate((a, b) => [.. a, 0xC3, 0x28, 0xFF, .. b])
            : Encoding.UTF8.GetBytes(Body);

    public string Describe(int maxBody = 2000)
    {
        var path = Path.Length > maxBody ? Path[..maxBody] + $"... ({Path.Length} chars)" : Path;
        var text = new StringBuilder($"{Method} {path}  [{Intent}; caller {Caller}");
        if (Caller == Caller.BadCredentials) text.Append($"; Authorization: {Authorization}");
        if (IdempotencyKey is not null) text.Append($"; X-Idempotency-Key: {IdempotencyKey}");
        if (ContentType is not null) text.Append($"; Content-Type: {ContentType}");
        text.Append($"; X-Request-Id: {RequestId}]");
        if (Body is not null)
            text.Append("\n      body: ").Append(Body.Length > maxBody ? Body[..maxBody] + $"... ({Body.Length} chars)" : Body);
        return text.ToString();
    }
}

/// <summary>
/// Turns an OpenAPI operation into a request: either schema-valid (real ids, plausible values, so
/// the request gets past validation into the business code) or schema-violating (a valid request
/// with one to three values replaced by something hostile, or a hostile body or parameter
/// outright). Everything comes from the Random it is given, so a seed reproduces the shapes.
/// </summary>
public sealed partial class RequestGenerator(IdPool ids, Guid entityId, IReadOnlyList<string> foreignIds, string adminKey, string viewerKey)
{
    public const string BadUtf8 = "@@BAD-UTF8@@";
    static readonly JsonSerializerOptions Serializer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1000 };
    static readonly string[] Currencies = ["USD", "USD", "USD", "EUR", "GBP", "JPY", "CHF"];
    static readonly string[] Countries = ["US", "DE", "GB", "FR"];
    readonly List<string> _cursors = [];

    /// <summary>Remembers a cursor the server handed out, to send back later (valid or tampered).</summary>
    public void AddCursor(string cursor)
    {
        lock (_cursors) if (_cursors.Count < 100) _cursors.Add(cursor);
    }

    public GeneratedRequest Generate(int index, OpenApiOperation op, Random r)
    {
        var valid = r.NextDouble() < 0.35;
        var intent = new List<string> { valid ? "valid" : "hostile" };
        var raw = new Dictionary<string, string>(); // placeholders for JSON text no serializer writes (2^63, 1e400...)

        var path = BuildPath(op, r, valid, intent);
        var query = BuildQuery(op, r, valid, intent);
        if (query.Length > 0) path += "?" + query;

        string? body = null;
        var contentType = op.ContentType;
        if (op.BodySchema is { } schema)
        {
            var node = Value(schema, "", r, 0, raw);
            string? rawBody = null;
            if (!valid) node = MutateBody(node, r, intent, raw, ref contentType, out rawBody);
            body = rawBody ?? (contentType?.Contains("x-www-form-urlencoded") == true && node is JsonObject form
                ? string.Join("&", form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value?.ToString() ?? "")}"))
                : Serialize(node, raw));
        }
        else if (op.IsWrite && !valid && r.NextDouble() < 0.3)
        {
            body = r.Next(3) switch { 0 => "{\"unexpected\":[null,{\"a\":\"\\u0000\"}]}", 1 => "not json", _ => "[]" };
            contentType = "application/json";
            intent.Add("body where none is expected");
        }

        var (caller, authorization) = PickCaller(r);
        if (caller != Caller.Admin) intent.Add($"as {caller}");
        string? idempotencyKey = null;
        if (op.IsWrite && r.NextDouble() < 0.06)
        {
            idempotencyKey = r.Next(6) switch
            {
                0 => new string('k', 256),
                1 => "ключ-" + index,
                2 => " spaced key ",
                _ => $"fuzz-key-{index % 40}", // reused keys: some replays, some "different request" 422s
            };
            intent.Add("idempotency key");
        }
        return new GeneratedRequest(index, op, op.Method, path, body, body is null ? null : contentType ?? "application/json", caller, authorization,
            idempotencyKey, string.Join(", ", intent));
    }

    (Caller, string?) PickCaller(Random r)
    {
        var roll = r.NextDouble();
        if (roll < 0.90) return (Caller.Admin, $"Basic {adminKey}");
        if (roll < 0.95) return (Caller.Viewer, $"Basic {viewerKey}");
        if (roll < 0.98) return (Caller.Anonymous, null);
        return (Caller.BadCredentials, r.Next(6) switch
        {
            0 => "Basic",
            1 => $"Basic\t{adminKey}",
            2 => $"Bearer {adminKey}",
            3 => $"Basic {adminKey}x",
            4 => "Basic " + new string('A', 5000),
            _ => $"basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(adminKey + ":"))}",
        });
    }

    // ---- path and query ----

    string BuildPath(OpenApiOperation op, Random r, bool valid, List<string> intent)
    {
        string? previous = null;
        return PathParameter().Replace(op.Path, m =>
        {
            var name = m.Groups[1].Value;
            var schema = op.PathParameters.FirstOrDefault(p => p.Name == name)?.Schema;
            string value;
            if (schema?["format"]?.GetValue<string>() != "uuid" && schema?["type"]?.GetValue<string>() == "string" && !name.EndsWith("Id"))
                value = StringFor(name, schema, r); // currencies in /exchange/rates/{base}/{target}
            else
                value = (previous is not null ? ids.PickChild(previous, r) : null) ?? ids.Pick(name, r) ?? Guid.NewGuid().ToString();
            previous = value;
            if (!valid && r.NextDouble() < 0.3)
            {
                intent.Add($"path {name}");
                return MalformedId(r);
            }
            return Uri.EscapeDataString(value);
        });
    }

    string MalformedId(Random r) => r.Next(17) switch
    {
        0 => "not-a-uuid",
        1 => "00000000-0000-0000-0000-000000000000",
        2 => "%00",
        3 => "a%00b",
        4 => "%2e%2e",
        5 => new string('a', 2000),
        6 => "%ff%fe",
        7 => "null",
        8 => "12345",
        9 => Uri.EscapeDataString("😀"),
        10 => Guid.NewGuid().ToString().ToUpperInvariant(),
        11 => Uri.EscapeDataString("{" + Guid.NewGuid() + "}"),
        12 => Guid.NewGuid().ToString("N"),
        13 => ids.PickAny(r) ?? Guid.NewGuid().ToString(),
        14 => foreignIds.Count > 0 ? foreignIds[r.Next(foreignIds.Count)] : Guid.NewGuid().ToString(),
        15 => "%",
        _ => Uri.EscapeDataString("' OR 1=1 --"),
    };

    string BuildQuery(OpenApiOperation op, Random r, bool valid, List<string> intent)
    {
        var parts = new List<string>();
        foreach (var p in op.QueryParameters)
        {
            var include = p.Name is "resourceId" or "invoicePayableId" ? 0.9 : valid ? 0.3 : 0.45;
            if (r.NextDouble() > include) continue;
            var hostile = !valid && r.NextDouble() < 0.6;
            var value = p.Name switch
            {
                "filter" => Filter(p, r, hostile),
                "sort" => Sort(p, r, hostile),
                "limit" => hostile ? Pick(r, "-1", "0", "201", "2147483648", "abc", "1e3", "", "9223372036854775808", " 5") : r.Next(1, 201).ToString(),
                "offset" => hostile ? Pick(r, "-1", "9223372036854775807", "9223372036854775808", "x", "") : r.Next(0, 20).ToString(),
                "cursor" => Cursor(r, hostile),
                "searchTerm" => hostile ? HostileText(r) : Pick(r, "Fuzz", "a", "Acme", "%", "_"),
                _ => hostile ? HostileScalar(r) : ScalarText(p.Name, p.Schema, r),
            };
            if (hostile) intent.Add($"query {p.Name}");
            parts.Add(value.StartsWith("@raw:") ? $"{p.Name}={value[5..]}" : $"{p.Name}={Uri.EscapeDataString(value)}");
        }
        if (!valid && r.NextDouble() < 0.05)
        {
            parts.Add(Pick(r, "unknown=1", "limit=1&limit=2", "filter=", "=", "%zz=1", "a=%c3"));
            intent.Add("odd query");
        }
        return string.Join("&", parts);
    }

    static string Filter(OpenApiParameter p, Random r, bool hostile)
    {
        var fields = AvailableFields(p.Description);
        var field = fields.Count > 0 && r.NextDouble() < 0.85 ? fields[r.Next(fields.Count)] : Pick(r, "nope", "id", "amount", "");
        var op = hostile && r.NextDouble() < 0.3 ? Pick(r, "like", "", "eq:eq", "gte ") : Pick(r, "eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte");
        var value = hostile ? HostileText(r) : Pick(r, "null", "1", "100000", "2026-01-01", Guid.NewGuid().ToString(), "ACTIVE|ARCHIVED", "USD", "true");
        var filter = $"{field}:{op}:{value}";
        // 300 clauses of a short filter: a 60 KB hostile value repeated 300 times would be an 18 MB request line, which the
        // server rightly refuses (414) and closes on while the client is still writing, so no client ever reads the answer.
        var clause = filter.Length > 200 ? $"{field}:eq:1" : filter;
        if (hostile && r.NextDouble() < 0.2) filter = Pick(r, ":::", "a", ",,", string.Join(",", Enumerable.Repeat(clause, 300)), "amount:gte:9223372036854775808",
            "createdAt:gt:99999-01-01", "amount:in:" + string.Join("|", Enumerable.Range(0, 2000)));
        return filter;
    }

    static string Sort(OpenApiParameter p, Random r, bool hostile)
    {
        var fields = AvailableFields(p.Description);
        var field = fields.Count > 0 ? fields[r.Next(fields.Count)] : "createdAt";
        if (!hostile) return $"{field}:{Pick(r, "asc", "desc")}";
        return Pick(r, $"{field}:sideways", "x:y", ",,,", $"{field}", string.Join(",", Enumerable.Repeat($"{field}:asc", 200)), $"{field}:asc;DROP TABLE x",
            "\u0000:asc", "");
    }

    string Cursor(Random r, bool hostile)
    {
        string? known;
        lock (_cursors) known = _cursors.Count > 0 ? _cursors[r.Next(_cursors.Count)] : null;
        if (!hostile) return known ?? "0";
        return r.Next(8) switch
        {
            0 when known is not null => known[..^1] + (known[^1] == 'A' ? 'B' : 'A'), // tampered
            1 when known is not null => known + known,
            2 => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"v\":[null,\"\\u0000\"],\"id\":\"x\"}")),
            3 => Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            4 => "-1",
            5 => new string('Z', 4000),
            6 => "%00",
            _ => HostileText(r),
        };
    }

    static List<string> AvailableFields(string? description)
    {
        var m = description is null ? null : FieldsLine().Match(description);
        return m is { Success: true }
            ? m.Groups[1].Value.Split(',').Select(f => f.Trim().Trim('`', '.', ' ')).Where(f => f.Length > 0).ToList()
            : [];
    }

    string ScalarText(string name, JsonObject schema, Random r)
    {
        var node = Value(schema, name, r, 0, []);
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
    }

    // ---- values ----

    JsonNode? Value(JsonObject schema, string name, Random r, int depth, Dictionary<string, string> raw)
    {
        if (schema["enum"] is JsonArray choices && choices.Count > 0) return choices[r.Next(choices.Count)]?.DeepClone();
        if (schema["oneOf"] is JsonArray one && one.Count > 0) return Value((JsonObject)one[r.Next(one.Count)]!, name, r, depth, raw);
        var type = schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : "string");
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                if (depth > 5) return obj;
                var required = (schema["required"] as JsonArray)?.Select(x => x!.GetValue<string>()).ToHashSet() ?? [];
                foreach (var (prop, propSchema) in schema["properties"] as JsonObject ?? [])
                {
                    if (!required.Contains(prop) && r.NextDouble() > 0.55) continue;
                    if (propSchema is JsonObject ps && ps["readOnly"]?.GetValue<bool>() == true) continue;
                    obj[prop] = Value(propSchema as JsonObject ?? new JsonObject(), prop, r, depth + 1, raw);
                }
                return obj;
            case "array":
                var arr = new JsonArray();
                var count = r.Next(0, 4);
                for (var i = 0; i < count; i++)
                    arr.Add(Value(schema["items"] as JsonObject ?? new JsonObject { ["type"] = "string" }, Singular(name), r, depth + 1, raw));
                return arr;
            case "integer":
                return JsonValue.Create(IntegerFor(name, r));
            case "number":
                return JsonValue.Create(name.Contains("ate", StringComparison.OrdinalIgnoreCase) ? 1.1m + r.Next(0, 50) / 100m : r.Next(1, 400) / 4m);
            case "boolean":
                return JsonValue.Create(r.Next(2) == 0);
            default:
                return JsonValue.Create(StringFor(name, schema, r));
        }
    }

    static string Singular(string name) => name.EndsWith("ies") ? name[..^3] + "y" : name.TrimEnd('s');

    static long IntegerFor(string name, Random r)
    {
        var n = name.ToLowerInvariant();
        if (n.Contains("amount") || n.Contains("price") || n.Contains("balance")) return r.Next(1, 1_000_000);
        if (n.Contains("quantity")) return r.Next(1, 10);
        if (n.Contains("code")) return r.Next(0, 2) == 0 ? 6100 : r.Next(100_000, 999_999);
        if (n.Contains("terms") || n.Contains("days")) return r.Next(0, 60);
        return r.Next(0, 1000);
    }

    string StringFor(string name, JsonObject schema, Random r)
    {
        var format = schema["format"]?.GetValue<string>();
        var n = name.ToLowerInvariant();
        if (format == "uuid" || (name.EndsWith("Id") && format is null && n != "transactionid"))
            return ids.Pick(name, r) ?? (n.Contains("entity") ? entityId.ToString() : Guid.NewGuid().ToString());
        if (format == "date" || n.EndsWith("date") || n is "from" or "to" or "asof" or "date")
            return new DateOnly(2025, 1, 1).AddDays(r.Next(0, 730)).ToString("yyyy-MM-dd");
        if (format == "date-time" || n.EndsWith("at")) return new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(r.Next(0, 500_000)).ToString("O");
        if (format == "email" || n.Contains("email") || n.Contains("recipient") || n == "replyto") return $"fuzz{r.Next(1000)}@example.com";
        if (n.Contains("currency") || n is "base" or "target") return Pick(r, Currencies);
        if (n.Contains("country")) return Pick(r, Countries);
        if (n.Contains("iban")) return "DE89370400440532013000";
        if (n.Contains("bic")) return "DEUTDEFFXXX";
        if (n.Contains("filename") || n == "name" && r.Next(4) == 0) return "fuzz.pdf";
        if (n.Contains("contenttype")) return Pick(r, "application/pdf", "text/plain", "image/png");
        if (n.Contains("url") || n.Contains("uri")) return "https://example.com/fuzz";
        if (n == "dcsign") return Pick(r, "D", "C");
        return $"Fuzz {name} {r.Next(10_000)}";
    }

    // ---- hostile values ----

    JsonNode? MutateBody(JsonNode? body, Random r, List<string> intent, Dictionary<string, string> raw, ref string? contentType, out string? rawBody)
    {
        rawBody = null;
        var roll = r.NextDouble();
        if (roll < 0.12)
        {
            intent.Add("raw-body");
            contentType ??= "application/json";
            (rawBody, var ct) = r.Next(12) switch
            {
                0 => ("null", contentType),
                1 => ("[]", contentType),
                2 => ("\"text\"", contentType),
                3 => ("", contentType),
                4 => ("{\"a\":", contentType),
                5 => (new string('[', 500) + new string(']', 500), contentType),
                6 => (Nested(r.Next(20, 120)), contentType),
                7 => ("\uFEFF" + Serialize(body, raw), contentType),
                8 => (Serialize(body, raw), Pick(r, "text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=latin1", "")),
                9 => ("{\"name\":\"" + BadUtf8 + "\"}", contentType),
                10 => ("{\"a\":1,\"a\":2,\"" + new string('k', 10_000) + "\":null}", contentType),
                _ => ("{\"x\":\"" + new string('x', 900_000) + "\"}", contentType),
            };
            contentType = ct;
            return null;
        }
        body ??= new JsonObject();
        var mutations = r.Next(1, 4);
        for (var i = 0; i < mutations; i++)
        {
            var nodes = new List<JsonNode>();
            Collect(body, nodes);
            var target = nodes.Count > 0 && r.NextDouble() < 0.85 ? nodes[r.Next(nodes.Count)] : null;
            if (target is null || target.Parent is null)
            {
                // add an unknown or absent field with a hostile value
                if (body is JsonObject root)
                {
                    var name = Pick(r, "lines", "lineItems", "customProperties", "amount", "currency", "unknownField", "id", "companyId", "status", "pricings");
                    root[name] = Hostile(null, name, r, raw);
                    intent.Add($"{name}=hostile");
                }
                continue;
            }
            var key = KeyOf(target);
            var replacement = Hostile(target, key, r, raw);
            Replace(target, replacement);
            intent.Add($"{PathOf(target)}");
        }
        return body;
    }

    static string Nested(int depth)
    {
        var s = new StringBuilder();
        for (var i = 0; i < depth; i++) s.Append("{\"lines\":[");
        s.Append("null");
        for (var i = 0; i < depth; i++) s.Append("]}");
        return s.ToString();
    }

    static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, v) in o) Collect(v, into);
        else if (node is JsonArray a) foreach (var v in a) Collect(v, into);
    }

    static string KeyOf(JsonNode node) => node.Parent switch
    {
        JsonObject o => o.First(p => ReferenceEquals(p.Value, node)).Key,
        JsonArray a => a.Parent is JsonObject po ? po.First(p => ReferenceEquals(p.Value, a)).Key : "item",
        _ => "",
    };

    static string PathOf(JsonNode node) => node.GetPath();

    static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                var key = o.First(p => ReferenceEquals(p.Value, target)).Key;
                o[key] = replacement;
                break;
            case JsonArray a:
                var index = a.IndexOf(target);
                a[index] = replacement;
                break;
        }
    }

    /// <summary>A hostile replacement for this value (or for a field that was absent).</summary>
    JsonNode? Hostile(JsonNode? current, string name, Random r, Dictionary<string, string> raw)
    {
        var kind = current?.GetValueKind();
        var roll = r.NextDouble();
        if (roll < 0.12) return null;
        if (roll < 0.22) return WrongType(kind, r);
        switch (kind)
        {
            case JsonValueKind.Number:
                return HostileNumber(r, raw);
            case JsonValueKind.String:
                return r.Next(3) == 0 && Guid.TryParse(current!.GetValue<string>(), out _)
                    ? JsonValue.Create(Pick(r, "not-a-uuid", "", "00000000-0000-0000-0000-000000000000", ids.PickAny(r) ?? "x",
                        foreignIds.Count > 0 ? foreignIds[r.Next(foreignIds.Count)] : "y", "{" + Guid.NewGuid() + "}"))
                    : JsonValue.Create(r.Next(3) == 0 ? HostileDateOrEnum(current!.GetValue<string>(), r) : HostileText(r));
            case JsonValueKind.Array:
                var array = (JsonArray)current!;
                return r.Next(6) switch
                {
                    0 => new JsonArray([(JsonNode?)null]),
                    1 => new JsonArray(array.Select(x => x?.DeepClone()).Append(null).ToArray()),
                    2 => new JsonArray(Enumerable.Range(0, r.Next(100, 400)).Select(_ => array.Count > 0 ? array[0]?.DeepClone() : new JsonObject()).ToArray()),
                    3 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), new JsonArray(), new JsonObject { ["a"] = null }),
                    4 => new JsonArray(Enumerable.Range(0, r.Next(2, 5)).Select(_ => (JsonNode)new JsonObject()).ToArray()),
                    _ => new JsonArray(array.Select(x => x?.DeepClone()).Concat(array.Select(x => x?.DeepClone())).ToArray()), // duplicates
                };
            case JsonValueKind.Object:
                var obj = (JsonObject)current!;
                return r.Next(5) switch
                {
                    0 => new JsonObject(),
                    1 => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)null))),
                    2 => new JsonObject(obj.Where(p => p.Key != "extra\u0000").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))) { ["extra\u0000"] = 1 },
                    3 => JsonNode.Parse(Nested(r.Next(10, 40)), documentOptions: new JsonDocumentOptions { MaxDepth = 1000 }),
                    _ => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue ? (JsonNode?)JsonValue.Create(HostileText(r)) : p.Value?.DeepClone()))),
                };
            default:
                // an absent field or a boolean: anything goes
                return r.Next(4) switch
                {
                    0 => HostileNumber(r, raw),
                    1 => JsonValue.Create(HostileText(r)),
                    2 => new JsonArray((JsonNode?)null, new JsonObject()),
                    _ => new JsonObject { ["id"] = null, ["amount"] = HostileNumber(r, raw) },
                };
        }
    }

    static JsonNode? WrongType(JsonValueKind? kind, Random r) => kind switch
    {
        JsonValueKind.String => r.Next(2) == 0 ? JsonValue.Create(123) : new JsonObject(),
        JsonValueKind.Number => r.Next(2) == 0 ? JsonValue.Create("12") : JsonValue.Create(true),
        JsonValueKind.Array => r.Next(2) == 0 ? new JsonObject() : JsonValue.Create("[]"),
        JsonValueKind.Object => r.Next(2) == 0 ? new JsonArray() : JsonValue.Create(1),
        JsonValueKind.True or JsonValueKind.False => JsonValue.Create("true"),
        _ => JsonValue.Create(false),
    };

    static JsonNode? HostileNumber(Random r, Dictionary<string, string> raw)
    {
        var text = Pick(r, "9223372036854775807", "-9223372036854775808", "4611686018427387904", "4611686018427387903", "9223372036854775808",
            "-1", "0", "-0", "2147483647", "2147483648", "1e308", "1e400", "-1e400", "0.000000001", "123456789012345678901234567890.123456789",
            "79228162514264337593543950336", "1.5", "99999999999999999", "1E+2", "3.4028235E+39");
        var token = $"@@RAW{raw.Count}@@";
        raw[token] = text;
        return JsonValue.Create(token);
    }

    static string HostileText(Random r) => r.Next(16) switch
    {
        0 => "a\u0000b",
        1 => "\u0000",
        2 => "\u0001\u0002\u001f\u007f",
        3 => "line\r\nbreak\ttab",
        4 => new string('x', r.Next(5_000, 60_000)),
        5 => "\u202Eevil\u200B\uFEFF",
        6 => "😀𝄞漢字",
        7 => "' OR '1'='1",
        8 => "%_\\",
        9 => "<script>alert(1)</script>",
        10 => "",
        11 => "   ",
        12 => "${jndi:ldap://x}",
        13 => "\\u0000",
        14 => "null",
        _ => string.Concat(Enumerable.Range(0, 50).Select(i => (char)(i % 32))),
    };

    static string HostileDateOrEnum(string current, Random r) =>
        DateOnly.TryParse(current, out _) || DateTime.TryParse(current, out _)
            ? Pick(r, "2026-02-30", "0001-01-01", "9999-12-31", "10000-01-01", "2026-13-01", "-2026-01-01", "2026-1-1", "20260101", "2026-01-01T25:00:00Z",
                "0000-00-00", "1900-01-01T00:00:00+14:00")
            : Pick(r, current.ToLowerInvariant(), "NOT_A_VALUE", current + " ", current + "\u0000", "Infinity", "NaN");

    static string HostileScalar(Random r) => Pick(r, "@raw:%00", "@raw:%zz", "@raw:%c3%28", "-1", "9223372036854775808", "true1", "", "not-a-uuid",
        "2026-02-30", "0001-01-01", new string('z', 3000), "\u0000", "null");

    static string Serialize(JsonNode? node, Dictionary<string, string> raw)
    {
        var text = node?.ToJsonString(Serializer) ?? "null";
        foreach (var (token, value) in raw) text = text.Replace($"\"{token}\"", value);
        return text;
    }

    static T Pick<T>(Random r, params T[] choices) => choices[r.Next(choices.Length)];

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"Available fields: ([^\n]+)")]
    private static partial Regex FieldsLine();
}
