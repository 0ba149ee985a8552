// A small closed-loop HTTP load driver: C concurrent connections each send requests back to back
// for D seconds; prints requests/s and latency percentiles per scenario. Scenarios run one after
// another against the same server in the same session, so their ratios are comparable.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

// Usage: LoadDriver <baseUrl> <key> [seconds] [connections] [suite: foundation | ledger | latency <path>... | load <path>...]
var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:8080";
var key = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("LEDGERLIGHT_KEY") ?? "";
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
var concurrency = args.Length > 3 ? int.Parse(args[3]) : 32;
var suite = args.Length > 4 ? args[4] : "foundation";

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", key);

var counter = 0;
// "raw:/path" goes to the raw ASP.NET Core endpoint at $RAW_URL (bench/RawEndpoint), the ceiling of the same run.
Func<HttpRequestMessage> Get(string path) => path.StartsWith("raw:")
    ? () => new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(Environment.GetEnvironmentVariable("RAW_URL")!), path[4..]))
    : () => new HttpRequestMessage(HttpMethod.Get, path);
Func<HttpRequestMessage> PostVendor() => () => new HttpRequestMessage(HttpMethod.Post, "/v1/vendors")
{
    Content = new StringContent($"{{\"name\":\"Bench Vendor {Interlocked.Increment(ref counter)}\",\"email\":\"bench@example.com\",\"country\":\"US\"}}",
        Encoding.UTF8, "application/json"),
};

if (suite == "latency")
{
    // Sequential requests (one connection): per-request latency of each path, no queueing.
    Console.WriteLine("| request | n | p50 ms | p95 ms | max ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var path in args.Skip(5))
    {
        for (var i = 0; i < 3; i++) (await http.GetAsync(path)).EnsureSuccessStatusCode();
        var times = new List<double>();
        for (var i = 0; i < seconds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"| GET {path} | {times.Count} | {times[times.Count / 2]:F1} | {times[(int)(times.Count * 0.95)]:F1} | {times[^1]:F1} |");
    }
    return;
}

if (suite == "load")
{
    // Closed loop on the given GET paths, one after another (used by bench/profile.sh and bench/run.sh).
    Console.WriteLine("| scenario | req/s | p50 ms | p99 ms | errors |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var path in args.Skip(5))
    {
        await Run(Get(path), 2, warmup: true);
        var (rps, p50, p99, errors) = await Run(Get(path), seconds, warmup: false);
        Console.WriteLine($"| GET {path} | {rps:F0} | {p50:F2} | {p99:F2} | {errors} |");
    }
    return;
}

if (suite == "ledger")
{
    var accounts = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/v1/ledger-accounts?filter=code:in:6200|1200&sort=code:desc"));
    var ids = accounts.RootElement.GetProperty("records").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToArray();
    // Optional entity ids after the suite name: entries go to them in turn (the 4-entity scenario).
    var entities = args.Skip(5).ToArray();
    Func<HttpRequestMessage> PostEntry() => () =>
    {
        var amount = Interlocked.Increment(ref counter); // one value for both sides, or the entry would not balance
        var entity = entities.Length == 0 ? "" : $"\"companyEntityId\":\"{entities[amount % entities.Length]}\",";
        var body = "{" + entity + "\"postingDate\":\"2026-11-20\",\"shouldPost\":true,\"description\":\"bench\",\"lines\":[" +
                   $"{{\"ledgerAccountId\":\"{ids[0]}\",\"netTransactionAmount\":{{\"amount\":{amount},\"dcSign\":\"D\"}}}}," +
                   $"{{\"ledgerAccountId\":\"{ids[1]}\",\"netTransactionAmount\":{{\"amount\":{amount},\"dcSign\":\"C\"}}}}]}}";
        return new HttpRequestMessage(HttpMethod.Post, "/v1/journal-entries") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    };
    await Run(PostEntry(), 2, warmup: true);
    var (jeRps, jeP50, jeP99, jeErrors) = await Run(PostEntry(), seconds, warmup: false);
    Console.WriteLine("| scenario | req/s | p50 ms | p99 ms | errors |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    var over = entities.Length > 1 ? $", {entities.Length} entities" : "";
    Console.WriteLine($"| POST /v1/journal-entries (2 lines, shouldPost, durable commit{over}) | {jeRps:F0} | {jeP50:F2} | {jeP99:F2} | {jeErrors} |");
    return;
}

// Seed enough vendors that a 50-row page is full.
for (var i = 0; i < 60; i++) (await http.SendAsync(PostVendor()())).EnsureSuccessStatusCode();

var scenarios = new (string Name, Func<HttpRequestMessage> Make)[]
{
    ("GET /health/live (trivial baseline)", Get("/health/live")),
    ("GET /v1/companies/current (auth + rate limit + 1 query)", Get("/v1/companies/current")),
    ("GET /v1/vendors?limit=50", Get("/v1/vendors?limit=50")),
    ("GET /v1/vendors?limit=50&cursor=0", Get("/v1/vendors?limit=50&cursor=0")),
    ("POST /v1/vendors", PostVendor()),
};

Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z  {baseUrl}  {concurrency} connections, {seconds} s per scenario, {Environment.ProcessorCount} cores");
Console.WriteLine("| scenario | req/s | p50 ms | p99 ms | errors |");
Console.WriteLine("|---|---:|---:|---:|---:|");
double? baseline = null;
foreach (var (name, make) in scenarios)
{
    await Run(make, 2, warmup: true);
    var (rps, p50, p99, errors) = await Run(make, seconds, warmup: false);
    baseline ??= rps;
    Console.WriteLine($"| {name} | {rps:F0} | {p50:F2} | {p99:F2} | {errors} |");
}

async Task<(double Rps, double P50, double P99, int Errors)> Run(Func<HttpRequestMessage> make, int duration, bool warmup)
{
    var latencies = new List<double>[concurrency];
    var errors = 0;
    var stop = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(duration);
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        while (stop.Elapsed < end)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(make());
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }).ToArray();
    await Task.WhenAll(workers);
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    if (warmup || all.Length == 0) return (0, 0, 0, errors);
    return (all.Length / elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)], errors);
}
