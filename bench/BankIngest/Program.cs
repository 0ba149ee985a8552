// Bank-statement ingestion through the public API: creates a bank account, then posts batches of
// 500 bank transactions (the API's maximum) from C concurrent connections and reports lines/s.
// The same run also measures, for ratios: the same batches offered again (every line a duplicate,
// all skipped), one line per request, and reading the balance and a page once the lines are in.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:8080";
var key = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("LEDGERLIGHT_KEY") ?? "";
var batches = args.Length > 2 ? int.Parse(args[2]) : 200;
var concurrency = args.Length > 3 ? int.Parse(args[3]) : 4;
const int BatchSize = 500;

var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", key);

async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> Send(HttpMethod method, string path, string? json = null)
{
    using var request = new HttpRequestMessage(method, path);
    if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
    var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    // A load generator shares the 2 cores with the server: a successful ingest's echo of its 500 rows is read
    // to the end but not parsed into a DOM nobody looks at.
    var parse = text.Length > 0 && (response.StatusCode != System.Net.HttpStatusCode.OK || method == HttpMethod.Get || !path.EndsWith("/bank-transactions"));
    return ((int)response.StatusCode, parse ? JsonNode.Parse(text) : null, response);
}

var entities = await Send(HttpMethod.Get, "/v1/entities");
if (entities.Status != 200) throw new Exception($"GET /v1/entities: {entities.Status} {entities.Body}");
var entityId = entities.Body!["records"]![0]!["id"]!.GetValue<string>();
var code = 100_000 + (int)(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond % 899_999);
var created = await Send(HttpMethod.Post, "/v1/bank-accounts", JsonSerializer.Serialize(new
{
    companyEntityId = entityId, name = "Bench Operating", bankProvider = "OTHER", currency = "USD", bankCountry = "US",
    ledgerAccount = new { code },
}));
if (created.Status != 200) throw new Exception($"create bank account: {created.Status} {created.Body}");
var account = created.Body!["id"]!.GetValue<string>();
var linesPath = $"/v1/bank-accounts/{account}/bank-transactions";
(await Send(HttpMethod.Put, $"/v1/bank-accounts/{account}/balance", """{"balance":100000000}""")).Response.EnsureSuccessStatusCode();

// Realistic lines: a year of dates, both directions, a payee, a memo, the bank's own id.
string Batch(string prefix, int batch, int size) => JsonSerializer.Serialize(new
{
    transactions = Enumerable.Range(0, size).Select(i =>
    {
        var n = batch * size + i;
        return new
        {
            date = new DateOnly(2025, 1, 1).AddDays(n % 365).ToString("yyyy-MM-dd"),
            amount = 100 + n % 99_991,
            dcSign = n % 3 == 0 ? "D" : "C",
            name = $"Counterparty {n % 997}",
            memo = $"Invoice {n} settlement",
            reference = $"RF{n:D10}",
            transactionId = $"{prefix}-{n}",
        };
    }),
});

async Task<(double Seconds, List<double> Latencies, long Created)> Ingest(IReadOnlyList<string> bodies, int workers)
{
    var next = -1;
    long createdLines = 0;
    var latencies = new List<double>[workers];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
    {
        var mine = latencies[w] = [];
        int i;
        while ((i = Interlocked.Increment(ref next)) < bodies.Count)
        {
            var started = Stopwatch.GetTimestamp();
            var (status, body, response) = await Send(HttpMethod.Post, linesPath, bodies[i]);
            if (status != 200) throw new Exception($"batch {i}: {status} {body}");
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Add(ref createdLines, long.Parse(response.Headers.GetValues("X-Created-Count").First()));
        }
    }));
    return (clock.Elapsed.TotalSeconds, latencies.SelectMany(l => l).Order().ToList(), createdLines);
}

static string Pct(List<double> sorted, double p) => sorted.Count == 0 ? "-" : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))].ToString("F1");

// Warm-up, not measured: long enough for the server's JIT to have tiered up the ingest path (with 10 batches the
// measured run still spent an eighth of the machine in the JIT; bench/RESULTS.md, 2026-12-03).
var warmup = int.TryParse(Environment.GetEnvironmentVariable("WARMUP_BATCHES"), out var w) ? w : 100;
await Ingest(Enumerable.Range(0, warmup).Select(b => Batch("warmup", b, BatchSize)).ToList(), concurrency);
await Ingest(Enumerable.Range(0, warmup).Select(b => Batch("warmup-single", b, 1)).ToList(), concurrency);

var bodies = Enumerable.Range(0, batches).Select(b => Batch("bench", b, BatchSize)).ToList();
var fresh = await Ingest(bodies, concurrency);
if (fresh.Created != (long)batches * BatchSize) throw new Exception($"created {fresh.Created}, expected {batches * BatchSize}");
var dupes = await Ingest(bodies, concurrency);
if (dupes.Created != 0) throw new Exception($"re-sent batches created {dupes.Created} lines");
var singleBodies = Enumerable.Range(0, Math.Max(200, batches * 5)).Select(b => Batch("single", b, 1)).ToList();
var single = await Ingest(singleBodies, concurrency);

async Task<(double Rps, List<double> Latencies)> Reads(string path, int count)
{
    var latencies = new List<double>();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var (status, body, _) = await Send(HttpMethod.Get, path);
        if (status != 200) throw new Exception($"{path}: {status} {body}");
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return (count / clock.Elapsed.TotalSeconds, latencies.Order().ToList());
}
var balance = await Reads($"/v1/bank-accounts/{account}/balance?asOf=2025-09-30", 200);
var page = await Reads($"{linesPath}?limit=50&cursor=0", 200);
var total = (await Send(HttpMethod.Get, $"{linesPath}?limit=1")).Body!["total"]!.GetValue<long>();

var totalLines = (long)batches * BatchSize;
var freshRate = totalLines / fresh.Seconds;
Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z  {baseUrl}  {batches} batches x {BatchSize} lines, {concurrency} connections, {Environment.ProcessorCount} cores");
Console.WriteLine("| scenario | lines/s | requests/s | p50 ms | p99 ms | vs new 500-line batches |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
Console.WriteLine($"| POST 500 new lines per request | {freshRate:F0} | {batches / fresh.Seconds:F1} | {Pct(fresh.Latencies, 0.5)} | {Pct(fresh.Latencies, 0.99)} | 1.00 |");
Console.WriteLine($"| POST the same batches again (all 500 skipped as duplicates) | {totalLines / dupes.Seconds:F0} | {batches / dupes.Seconds:F1} | {Pct(dupes.Latencies, 0.5)} | {Pct(dupes.Latencies, 0.99)} | {totalLines / dupes.Seconds / freshRate:F2} |");
Console.WriteLine($"| POST 1 new line per request | {singleBodies.Count / single.Seconds:F0} | {singleBodies.Count / single.Seconds:F1} | {Pct(single.Latencies, 0.5)} | {Pct(single.Latencies, 0.99)} | {singleBodies.Count / single.Seconds / freshRate:F3} |");
Console.WriteLine($"| GET balance?asOf (over {total:N0} lines, 1 connection) | - | {balance.Rps:F0} | {Pct(balance.Latencies, 0.5)} | {Pct(balance.Latencies, 0.99)} | - |");
Console.WriteLine($"| GET bank-transactions?limit=50&cursor=0 (1 connection) | - | {page.Rps:F0} | {Pct(page.Latencies, 0.5)} | {Pct(page.Latencies, 0.99)} | - |");
