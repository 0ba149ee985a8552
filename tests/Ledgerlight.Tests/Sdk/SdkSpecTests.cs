using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Sdk;

/// <summary>
/// The SDK was generated from sdk/openapi.json; it must still describe what the server publishes.
/// Operations and schemas the server added since are fine (the SDK just does not offer them yet);
/// one that the SDK calls and the server no longer serves, or a schema whose shape changed, means the
/// SDK would misread the server: run sdk/generate.sh.
/// </summary>
public class SdkSpecTests(ApiServer server) : IClassFixture<ApiServer>
{
    const string Regenerate = "the server's /openapi.json changed under the SDK: run sdk/generate.sh and commit sdk/";

    [Fact]
    public async Task Every_operation_and_schema_the_SDK_was_generated_from_is_still_served_unchanged()
    {
        var served = (await server.Anonymous.GetAsync("/openapi.json")).Json.AsObject();
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "sdk", "openapi.json")))!.AsObject();

        var stale = new List<string>();
        foreach (var (path, item) in snapshot["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
                if (!JsonNode.DeepEquals(operation, served["paths"]?[path]?[method])) stale.Add($"{method.ToUpperInvariant()} {path}");
        foreach (var (name, schema) in snapshot["components"]!["schemas"]!.AsObject())
            if (!JsonNode.DeepEquals(schema, served["components"]!["schemas"]?[name])) stale.Add($"schema {name}");

        Assert.True(stale.Count == 0, $"{Regenerate}; differs: {string.Join(", ", stale.Take(20))}");
    }
}
