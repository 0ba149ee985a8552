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
    static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    readonly Lazy<byte[]> _document = new(() => Build(endpoints));

    public byte[] Document => _document.Value;

    public static JsonObject LoadLightSpec()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("light-openapi.json")
                           ?? throw new InvalidOperationException("embedded Light OpenAPI document missing");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>(METHOD, route template) pairs the server maps, e.g. ("GET", "/v1/vendors/{vendorId}").</summary>
    public static HashSet<(string Method, string Path)> Routes(EndpointDataSource endpoints)
    {
        var routes = new HashSet<(string, string)>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var path = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            foreach (var m in methods) routes.Add((m.ToUpperInvariant(), path));
        }
        return routes;
    }

    /// <summary>Routes marked <see cref="LedgerlightExtension"/> join the document under their own tag.</summary>
    static void AddExtensions(JsonObject spec, EndpointDataSource endpoints)
    {
        var paths = spec["paths"]!.AsObject();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<LedgerlightExtension>() is not { } extension) continue;
            var path = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            var item = paths[path]?.AsObject() ?? new JsonObject();
            paths[path] = item;
            var schema = extension.ResponseSchema is { } name
                ? new JsonObject { ["$ref"] = $"#/components/schemas/{name}" }
                : new JsonObject { ["type"] = "object", ["description"] = extension.Description };
            var parameters = new JsonArray();
            foreach (var parameter in endpoint.RoutePattern.Parameters)
                parameters.Add(new JsonObject
                {
                    ["name"] = parameter.Name, ["in"] = "path", ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                });
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                item[method.ToLowerInvariant()] = new JsonObject
                {
                    ["tags"] = new JsonArray("Ledgerlight extensions"),
                    ["summary"] = extension.Summary,
                    ["description"] = extension.Description,
                    ["operationId"] = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                    ["x-ledgerlight-extension"] = true,
                    ["parameters"] = parameters.DeepClone(),
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject
                        {
                            ["description"] = "OK",
                            ["content"] = new JsonObject { [Json.ContentType] = new JsonObject { ["schema"] = schema } },
                        },
                    },
                };
        }
    }

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
            ["description"] = "Ledgerlight implements Light's public API. This document lists the operations this server implements; " +
                              "request and response shapes are Light's.",
        };
        spec["servers"] = new JsonArray(new JsonObject { ["url"] = "/" });
        return System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString());
    }
}
