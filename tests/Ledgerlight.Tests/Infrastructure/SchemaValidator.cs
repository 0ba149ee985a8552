using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ledgerlight.Tests.Infrastructure;

/// <summary>
/// Checks response bodies against Light's OpenAPI schemas with ajv (a real JSON-schema validator;
/// none exists for .NET here). One node process per test run, spoken to one line at a time.
/// </summary>
public static class SchemaValidator
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static readonly Lazy<Task<Process>> Node = new(() => StartAsync(RepoPaths.LightSpec));
    static readonly Dictionary<string, (SemaphoreSlim Gate, Lazy<Task<Process>> Node)> OtherSpecs = [];
    static readonly HashSet<string> ValidatedOperations = [];

    public sealed record Result(bool Ok, string? OperationId, IReadOnlyList<string> Errors);

    /// <summary>Operations whose responses passed validation so far in this run.</summary>
    public static IReadOnlyCollection<string> Validated
    {
        get { lock (ValidatedOperations) return ValidatedOperations.ToList(); }
    }

    public static async Task<Result> ValidateAsync(string method, string path, JsonNode? body)
    {
        var result = await ValidateAsync(Gate, await Node.Value, method, path, body);
        if (result.Ok && result.OperationId is not null)
            lock (ValidatedOperations) ValidatedOperations.Add(result.OperationId);
        return result;
    }

    /// <summary>Validates against another OpenAPI document (e.g. the one the server publishes, extensions included).</summary>
    public static async Task<Result> ValidateAgainstAsync(string specPath, string method, string path, JsonNode? body)
    {
        (SemaphoreSlim Gate, Lazy<Task<Process>> Node) validator;
        lock (OtherSpecs)
            if (!OtherSpecs.TryGetValue(specPath, out validator))
                OtherSpecs[specPath] = validator = (new SemaphoreSlim(1, 1), new Lazy<Task<Process>>(() => StartAsync(specPath)));
        return await ValidateAsync(validator.Gate, await validator.Node.Value, method, path, body);
    }

    static async Task<Result> ValidateAsync(SemaphoreSlim gate, Process node, string method, string path, JsonNode? body)
    {
        var request = new JsonObject { ["method"] = method, ["path"] = path, ["body"] = body?.DeepClone() };
        string? line;
        await gate.WaitAsync();
        try
        {
            await node.StandardInput.WriteLineAsync(request.ToJsonString());
            await node.StandardInput.FlushAsync();
            line = await node.StandardOutput.ReadLineAsync();
        }
        finally
        {
            gate.Release();
        }
        if (line is null) throw new InvalidOperationException("schema validator exited: " + await node.StandardError.ReadToEndAsync());
        var answer = JsonNode.Parse(line)!;
        return new Result(answer["ok"]!.GetValue<bool>(), answer["operationId"]?.GetValue<string>(),
            answer["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList());
    }

    static async Task<Process> StartAsync(string specPath)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "Ledgerlight.Tests", "conformance");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "ajv")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var err = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0) throw new InvalidOperationException("npm ci failed: " + await err);
        }
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("validate.mjs");
        psi.ArgumentList.Add(specPath);
        var process = Process.Start(psi)!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { process.Kill(); } catch (InvalidOperationException) { } };
        return process;
    }
}
