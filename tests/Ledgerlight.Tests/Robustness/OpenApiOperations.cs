using System.Text.Json.Nodes;

namespace Ledgerlight.Tests.Robustness;

public sealed record OpenApiParameter(string Name, string In, JsonObject Schema, string? Description);

/// <summary>One operation of the published document, with $ref and allOf already resolved away.</summary>
public sealed record OpenApiOperation(string Method, string Path, string OperationId, IReadOnlyList<OpenApiParameter> Parameters,
    JsonObject? BodySchema, string? ContentType)
{
    public IEnumerable<OpenApiParameter> PathParameters => Parameters.Where(p => p.In == "path");
    public IEnumerable<OpenApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");
    public bool IsWrite => Method is not "GET";
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>Reads the operations out of an OpenAPI 3 document (the server's own /openapi.json).</summary>
public static class OpenApiOperations
{
    static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static List<OpenApiOperation> Parse(JsonNode spec)
    {
        var resolver = new SchemaResolver(spec["components"]?["schemas"]?.AsObject() ?? new JsonObject());
        var operations = new List<OpenApiOperation>();
        foreach (var (path, item) in spec["paths"]!.AsObject())
        {
            foreach (var method in Methods)
            {
                if (item![method] is not JsonObject op) continue;
                var parameters = (op["parameters"]?.AsArray() ?? [])
                    .Concat(item["parameters"]?.AsArray() ?? [])
                    .Select(p => new OpenApiParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                        resolver.Resolve(p["schema"] as JsonObject ?? new JsonObject { ["type"] = "string" }),
                        p["description"]?.GetValue<string>() ?? p["schema"]?["description"]?.GetValue<string>()))
                    .ToList();
                // A path parameter the document forgot to declare is still a path parameter.
                foreach (var segment in path.Split('/').Where(s => s.StartsWith('{')))
                {
                    var name = segment.Trim('{', '}');
                    if (parameters.All(p => p.Name != name))
                        parameters.Add(new OpenApiParameter(name, "path", new JsonObject { ["type"] = "string", ["format"] = "uuid" }, null));
                }
                JsonObject? body = null;
                string? contentType = null;
                if (op["requestBody"]?["content"] is JsonObject content && content.Count > 0)
                {
                    var (type, media) = content.First();
                    contentType = type;
                    body = resolver.Resolve(media?["schema"] as JsonObject ?? new JsonObject { ["type"] = "object" });
                }
                operations.Add(new OpenApiOperation(method.ToUpperInvariant(), path,
                    op["operationId"]?.GetValue<string>() ?? $"{method} {path}", parameters, body, contentType));
            }
        }
        return operations;
    }

    /// <summary>Inlines $ref and merges allOf, with a depth cut for recursive schemas.</summary>
    sealed class SchemaResolver(JsonObject components)
    {
        public JsonObject Resolve(JsonObject schema, int depth = 0)
        {
            if (depth > 8) return new JsonObject { ["type"] = "object" };
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference.Split('/').Last();
                return components[name] is JsonObject target ? Resolve(target, depth + 1) : new JsonObject { ["type"] = "object" };
            }
            var result = new JsonObject();
            if (schema["allOf"] is JsonArray all)
            {
                foreach (var part in all.OfType<JsonObject>())
                    Merge(result, Resolve(part, depth + 1));
            }
            foreach (var (key, value) in schema)
            {
                if (key is "allOf" or "$ref" or "example" or "examples") continue;
                if (key == "properties" && value is JsonObject props)
                {
                    var resolved = result["properties"] as JsonObject ?? new JsonObject();
                    foreach (var (name, prop) in props)
                        resolved[name] = prop is JsonObject p ? Resolve(p, depth + 1) : new JsonObject();
                    result["properties"] = resolved;
                }
                else if (key is "items" or "additionalProperties" && value is JsonObject inner) result[key] = Resolve(inner, depth + 1);
                else if (key is "oneOf" or "anyOf" && value is JsonArray choices)
                    result[key] = new JsonArray(choices.OfType<JsonObject>().Select(c => (JsonNode)Resolve(c, depth + 1)).ToArray());
                else result[key] = value?.DeepClone();
            }
            if (result["type"] is null && result["properties"] is not null) result["type"] = "object";
            return result;
        }

        static void Merge(JsonObject into, JsonObject from)
        {
            foreach (var (key, value) in from)
            {
                if (key == "properties" && value is JsonObject props)
                {
                    var target = into["properties"] as JsonObject ?? new JsonObject();
                    foreach (var (name, prop) in props) target[name] = prop?.DeepClone();
                    into["properties"] = target;
                }
                else if (key == "required" && value is JsonArray req)
                {
                    var target = into["required"] as JsonArray ?? new JsonArray();
                    foreach (var r in req) target.Add(r?.DeepClone());
                    into["required"] = target;
                }
                else into[key] = value?.DeepClone();
            }
        }
    }
}
