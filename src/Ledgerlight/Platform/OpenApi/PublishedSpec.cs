using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Ledgerlight.Platform.OpenApi;

/// <summary>
/// The OpenAPI document this server publishes at /openapi.json: Light's own document cut down to
/// the operations this server actually routes, so it can never promise an endpoint that is not
/// there. Built once, on first request, from the live endpoint table.
/// </summary>
public sealed class PublishedSpec(EndpointDataSource endpoints)
{
    static readonly string[] Methods = ["get", "post", "put", "patch", "delete", "options", "head", "trace"];
    readonly Lazy<byte[]> _document = new(() => Build(endpoints));

    public byte[] Document => _document.Value;

    public static JsonObject LoadLightSpec() => LoadEmbedded("light-openapi.json");

    /// <summary>A JSON document embedded in the binary (see the csproj's EmbeddedResource items), parsed afresh for each caller to change.</summary>
    public static JsonObject LoadEmbedded(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"embedded {resource} missing");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>
    /// The route template as the contract spells it: a route group's "" sub-route leaves a trailing
    /// slash in the combined template ("/v1/things/"), which Light's paths do not have.
    /// </summary>
    public static string PathOf(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');

    /// <summary>(METHOD, route template) pairs the server maps, e.g. ("GET", "/v1/vendors/{vendorId}").</summary>
    public static HashSet<(string Method, string Path)> Routes(EndpointDataSource endpoints)
    {
        var routes = new HashSet<(string, string)>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var path = PathOf(endpoint);
            foreach (var m in methods) routes.Add((m.ToUpperInvariant(), path));
        }
        return routes;
    }

    /// <summary>
    /// Routes marked <see cref="LedgerlightExtension"/> join the document under their own tag, with the
    /// request body, parameters, response and error answers of their <see cref="ExtensionContracts"/> entry.
    /// </summary>
    static void AddExtensions(JsonObject spec, EndpointDataSource endpoints)
    {
        var paths = spec["paths"]!.AsObject();
        var schemas = spec["components"]!["schemas"]!.AsObject();
        foreach (var (name, schema) in ExtensionContracts.Schemas().ToList())
            schemas[name] = schema!.DeepClone();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<LedgerlightExtension>() is not { } extension) continue;
            var path = PathOf(endpoint);
            var item = paths[path]?.AsObject() ?? new JsonObject();
            paths[path] = item;
            var operationId = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            var contract = operationId is null ? null : ExtensionContracts.ByOperationId.GetValueOrDefault(operationId);
            var schema = contract?.Response ?? (extension.ResponseSchema is { } name
                ? new JsonObject { ["$ref"] = $"#/components/schemas/{name}" }
                : new JsonObject { ["type"] = "object", ["description"] = extension.Description });
            var parameters = new JsonArray();
            foreach (var parameter in endpoint.RoutePattern.Parameters)
                parameters.Add(new JsonObject
                {
                    ["name"] = parameter.Name, ["in"] = "path", ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                });
            foreach (var query in contract?.Query ?? []) parameters.Add(query.DeepClone());
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var operation = new JsonObject
                {
                    ["tags"] = new JsonArray("Ledgerlight extensions"),
                    ["summary"] = extension.Summary,
                    ["description"] = extension.Description,
                    ["operationId"] = operationId,
                    ["x-ledgerlight-extension"] = true,
                    ["parameters"] = parameters.DeepClone(),
                };
                if (contract?.Request is { } request)
                    operation["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject
                        {
                            [Json.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{request}" } },
                        },
                    };
                operation["responses"] = Responses(schema, contract, endpoint.RoutePattern.Parameters.Count > 0);
                item[method.ToLowerInvariant()] = operation;
            }
        }
    }

    static readonly Dictionary<int, string> ErrorDescriptions = new()
    {
        [400] = "The request is malformed or a field is invalid (errors[].path names it)",
        [401] = "Missing or unknown API key",
        [403] = "The key's role may not do this",
        [404] = "No such record in the caller's company",
        [409] = "The record's state or a unique value conflicts",
        [413] = "The body is too large",
        [422] = "Valid, but breaks a business rule",
        [429] = "Rate limit exceeded (see Retry-After)",
    };

    static JsonObject Responses(JsonObject schema, ExtensionContracts.Contract? contract, bool hasPathParameters)
    {
        var responses = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject { [Json.ContentType] = new JsonObject { ["schema"] = schema.DeepClone() } },
            },
        };
        var statuses = new SortedSet<int>([400, 401, 403, 429, .. contract?.Errors ?? []]);
        if (hasPathParameters) statuses.Add(404);
        if (contract?.Request is not null) statuses.Add(413);
        foreach (var status in statuses)
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = ErrorDescriptions[status],
                ["content"] = new JsonObject
                {
                    [Json.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{ExtensionContracts.ErrorSchema}" } },
                },
            };
        return responses;
    }

    /// <summary>The document's info.description: what it covers and the choices a client should know.</summary>
    public const string Description =
        "Ledgerlight implements Light's public API. This document lists exactly the operations this server routes; " +
        "request and response shapes are Light's. Operations tagged \"Ledgerlight extensions\" (x-ledgerlight-extension: true) " +
        "are not in Light's API.\n\n" +
        "Unknown query parameters are ignored, as Light ignores them: a misspelt parameter (e.g. `limt=5`) changes nothing " +
        "rather than failing the request. Known parameters are validated (400 with errors[].path naming the parameter). " +
        "Unknown body properties are ignored likewise.\n\n" +
        "Errors use Light's envelope (LedgerlightError): name, type, message, errors[] (type, message, path) and requestId.";

    static byte[] Build(EndpointDataSource endpoints)
    {
        var spec = LoadLightSpec();
        var routes = Routes(endpoints);
        var paths = spec["paths"]!.AsObject();
        foreach (var (path, item) in paths.ToList())
        {
            var ops = item!.AsObject();
            foreach (var method in Methods)
                if (ops.ContainsKey(method) && !routes.Contains((method.ToUpperInvariant(), path))) ops.Remove(method);
            if (!Methods.Any(ops.ContainsKey)) paths.Remove(path);
        }
        AddExtensions(spec, endpoints);
        spec["info"] = new JsonObject
        {
            ["title"] = "Ledgerlight API",
            ["version"] = "1.0.0",
            ["description"] = Description,
        };
        spec["servers"] = new JsonArray(new JsonObject { ["url"] = "/" });
        return System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString());
    }
}
