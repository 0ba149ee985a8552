using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Ledgerlight.Tests.Robustness;

/// <summary>
/// Generated-input test: every operation of the published OpenAPI document, called with
/// schema-valid and schema-violating requests. No answer may be a 5xx, every 4xx carries the
/// Light envelope, and the server logs no unhandled error. The seed is fixed (override with
/// LEDGERLIGHT_FUZZ_SEED, size with LEDGERLIGHT_FUZZ_REQUESTS) and printed with every failing
/// request, so a failure can be replayed.
/// </summary>
public partial class GeneratedInputTests(FuzzServer server, ITestOutputHelper output) : IClassFixture<FuzzServer>
{
    const int DefaultSeed = 20260801;
    const int DefaultRequests = 6000;
    const int Parallelism = 8;
    const int RoundSize = 400;
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);

    sealed record Failure(GeneratedRequest Request, int? Status, string Problem, string Response, List<CapturedLogs.Entry> Logs);

    [Fact]
    public async Task Generated_requests_never_get_a_5xx_a_bare_4xx_or_an_unhandled_exception()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGERLIGHT_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var total = int.TryParse(Environment.GetEnvironmentVariable("LEDGERLIGHT_FUZZ_REQUESTS"), out var n) ? n : DefaultRequests;
        var clock = Stopwatch.StartNew();
        using var http = new FuzzTransport(server.BaseAddress);

        var (specStatus, specText) = await http.SendRawAsync(HttpMethod.Get, "/openapi.json", null, null);
        Assert.Equal(200, specStatus);
        var operations = OpenApiOperations.Parse(JsonNode.Parse(specText)!);
        Assert.True(operations.Count > 100, $"only {operations.Count} operations published");

        var ids = new IdPool();
        await FuzzSeed.SeedAsync(http, server.Company, ids);
        var other = await server.CreateTenantAsync("Other Tenant", "EUR");
        var foreign = new List<string>();
        foreach (var (path, body) in new[] { ("/v1/vendors", """{"name":"Foreign vendor"}"""), ("/v1/customers", """{"name":"Foreign customer"}""") })
            foreign.Add(JsonNode.Parse((await http.SendRawAsync(HttpMethod.Post, path, body, other.AdminKey)).Body)! is var created ? (created["id"] ?? created["vendorId"])!.GetValue<string>() : "");
        var generator = new RequestGenerator(ids, server.Company.EntityId, foreign, server.Company.AdminKey, server.Company.Viewer.Key!);
        var seeded = clock.Elapsed;

        var failures = new ConcurrentBag<Failure>();
        var requests = new ConcurrentDictionary<string, GeneratedRequest>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        for (var start = 0; start < total && clock.Elapsed < Budget; start += RoundSize)
        {
            // Generated one round at a time from the ids known so far, each request from its own
            // Random(seed, index): the same seed gives the same shapes even though the server's ids differ.
            var round = Enumerable.Range(start, Math.Min(RoundSize, total - start)).Select(i =>
            {
                var random = new Random(HashCode.Combine(seed, i));
                return generator.Generate(i, operations[random.Next(operations.Count)], random);
            }).ToList();
            await Parallel.ForEachAsync(round, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, _) =>
            {
                requests[request.RequestId] = request;
                Interlocked.Increment(ref sent);
                FuzzTransport.Answer answer;
                try
                {
                    answer = await SendWithOneRetryAsync(http, request);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failures.Add(new Failure(request, null, $"no answer (twice): {e.GetType().Name}: {e.Message}", "", []));
                    return;
                }
                statuses.AddOrUpdate(answer.Status, 1, (_, c) => c + 1);
                if (Check(answer) is { } problem) failures.Add(new Failure(request, answer.Status, problem, answer.Body, []));
                else if (answer.Status == 200) Learn(request, answer, ids, generator);
            });
        }
        await Task.Delay(200); // let the last log entries land

        // Every Error-level log entry is a failure: attached to its request when it names one.
        var byRequest = failures.ToDictionary(f => f.Request.RequestId);
        var unattributed = new List<CapturedLogs.Entry>();
        foreach (var entry in server.Logs.Errors)
        {
            if (entry.RequestId is { } id && requests.TryGetValue(id, out var request))
            {
                if (!byRequest.TryGetValue(id, out var failure))
                    byRequest[id] = failure = new Failure(request, null, "error logged (answer looked fine)", "", []);
                failure.Logs.Add(entry);
            }
            else unattributed.Add(entry);
        }

        var summary = $"{sent} generated requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:F0} s " +
                      $"(seeding {seeded.TotalSeconds:F0} s), seed {seed}; statuses: " +
                      string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"));
        output.WriteLine(summary);
        if (sent < total) output.WriteLine($"stopped early: the {Budget.TotalSeconds:F0} s budget ran out after {sent} of {total} requests");
        if (byRequest.Count == 0 && unattributed.Count == 0) return;

        var report = Report(seed, summary, byRequest.Values.ToList(), unattributed);
        var file = Path.Combine(Path.GetTempPath(), $"ledgerlight-fuzz-{seed}-{DateTime.UtcNow:yyyyMMddHHmmss}.txt");
        await File.WriteAllTextAsync(file, Report(seed, summary, byRequest.Values.ToList(), unattributed, examples: 1000, maxBody: 1_000_000));
        output.WriteLine(report);
        Assert.Fail($"{report}\nEvery failing request, bodies in full: {file}");
    }

    /// <summary>What is wrong with this answer, or null when nothing is.</summary>
    static string? Check(FuzzTransport.Answer answer)
    {
        if (answer.Body.Contains("   at ", StringComparison.Ordinal) || answer.Body.Contains("Exception:", StringComparison.Ordinal))
            return "stack trace or exception text in the answer";
        if (answer.Status >= 500) return $"{answer.Status}";
        if (answer.Status < 400) return null;
        try
        {
            if (JsonNode.Parse(answer.Body) is not JsonObject envelope) return $"{answer.Status} without a JSON object body";
            if (envelope["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || type.GetValue<string>().Length == 0)
                return $"{answer.Status} envelope without 'type'";
            if (envelope["message"] is not JsonValue message || message.GetValueKind() != JsonValueKind.String || message.GetValue<string>().Trim().Length == 0)
                return $"{answer.Status} envelope without 'message'";
            if (envelope["errors"] is not JsonArray) return $"{answer.Status} envelope without an 'errors' array";
            return null;
        }
        catch (JsonException)
        {
            return $"{answer.Status} with a body that is not JSON";
        }
    }

    /// <summary>Ids and cursors from a successful answer feed later requests.</summary>
    static void Learn(GeneratedRequest request, FuzzTransport.Answer answer, IdPool ids, RequestGenerator generator)
    {
        if (answer.ContentType?.Contains("json") != true || answer.Body.Length is 0 or > 2_000_000) return;
        try
        {
            var json = JsonNode.Parse(answer.Body);
            ids.Harvest(request.Operation.Path, json);
            foreach (var name in new[] { "nextCursor", "prevCursor" })
                if (json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var cursor) && cursor.Length > 0) generator.AddCursor(cursor);
        }
        catch (JsonException) { }
    }

    static string Report(int seed, string summary, List<Failure> failures, List<CapturedLogs.Entry> unattributed, int examples = 2, int maxBody = 1500)
    {
        var text = new StringBuilder();
        text.AppendLine($"GENERATED-INPUT FAILURES: {failures.Count} failing requests; {summary}");
        text.AppendLine($"Replay the run with LEDGERLIGHT_FUZZ_SEED={seed}; each request below is printed in full enough to send by hand.");
        var groups = failures.GroupBy(Signature).OrderByDescending(g => g.Count()).ToList();
        text.AppendLine($"{groups.Count} distinct causes (status | problem or exception @ first Ledgerlight frame), each with the operations it hit:");
        foreach (var group in groups)
        {
            var operations = group.Select(f => f.Request.Operation.ToString()).Distinct().ToList();
            text.AppendLine();
            text.AppendLine($"## {group.Count()}× {group.Key}");
            text.AppendLine($"   on {operations.Count} operation(s): {string.Join(", ", operations.Take(12))}{(operations.Count > 12 ? ", …" : "")}");
            // Examples from different operations, smallest bodies first: the easiest to replay.
            var picked = group.OrderBy(f => (f.Request.Body?.Length ?? 0) + f.Request.Path.Length)
                .GroupBy(f => f.Request.Operation.ToString()).Select(g => g.First()).Take(examples);
            foreach (var f in picked)
            {
                text.AppendLine($"  - {f.Request.Describe(maxBody)}");
                if (f.Status is not null) text.AppendLine($"      answer {f.Status}: {Cut(f.Response, 400)}");
                foreach (var log in f.Logs.Take(1)) text.AppendLine($"      server log: {Cut(Exception(log), maxBody < 5000 ? 900 : 20_000).Replace("\n", "\n        ")}");
            }
        }
        if (unattributed.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"## {unattributed.Count} error log entries not tied to a generated request:");
            foreach (var g in unattributed.GroupBy(e => $"{e.Category}: {Normalize(e.Exception?.GetType().Name + " " + (e.Exception?.Message ?? e.Message))}").Take(20))
                text.AppendLine($"  - {g.Count()}× {g.Key}\n      {Cut(Exception(g.First()), 1200).Replace("\n", "\n        ")}");
        }
        return text.ToString();
    }

    static string Signature(Failure f)
    {
        var log = f.Logs.FirstOrDefault(l => l.Exception is not null) ?? f.Logs.FirstOrDefault();
        var cause = log?.Exception is { } e
            ? Innermost(e) is Npgsql.PostgresException pg
                ? $"PostgreSQL {pg.SqlState}: {Normalize(pg.MessageText)}" // one cause, wherever the value reached the database
                : $"{Innermost(e).GetType().Name}: {Normalize(Innermost(e).Message)} @ {FirstFrame(e)}"
            : f.Status is null ? Normalize(f.Problem) : $"{f.Problem}: {Normalize(MessageOf(f.Response))}";
        return $"{(f.Status is { } s ? s.ToString() : "-")} | {cause}";
    }

    static Exception Innermost(Exception e) => e is AggregateException { InnerException: { } inner } ? Innermost(inner) : e.InnerException is { } i && e is not Npgsql.PostgresException ? Innermost(i) : e;

    static string FirstFrame(Exception e)
    {
        var frames = (e.ToString()).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at Ledgerlight.") && !l.Contains("Platform.ErrorBoundary")).ToList();
        var frame = frames.FirstOrDefault() ?? "";
        return Regex.Replace(frame, @" in /.*?/src/", " src/");
    }

    static string MessageOf(string body)
    {
        try { return JsonNode.Parse(body)?["message"]?.ToString() ?? Cut(body, 120); }
        catch (JsonException) { return Cut(body, 120); }
    }

    static string Exception(CapturedLogs.Entry e) => e.Exception is null ? e.Message : $"{e.Message}\n{e.Exception}";

    static string Normalize(string s) => Cut(Regex.Replace(Regex.Replace(s, @"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}", "<id>"), @"\d+", "N"), 160);

    static string Cut(string s, int max) => s.Length > max ? s[..max] + "…" : s;

    /// <summary>
    /// A connection-level failure (reset, timeout) is sent once more on a fresh attempt before it counts: when a
    /// server answers a large hostile body early (413, 400) and closes, the client may see the reset before the
    /// answer, more so on a loaded machine. A crash or a hang fails both attempts.
    /// </summary>
    static async Task<FuzzTransport.Answer> SendWithOneRetryAsync(FuzzTransport http, GeneratedRequest request)
    {
        try
        {
            return await http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Task.Delay(500);
            return await http.SendAsync(request);
        }
    }
}
