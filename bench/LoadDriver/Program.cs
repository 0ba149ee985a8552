// A small closed-loop HTTP load driver: C concurrent connections each send requests back to back
// for D seconds; prints requests/s and latency percentiles per scenario. Scenarios run one after
// another against the same server in the same session, so their ratios are comparable.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:8080";
var key = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("LEDGERLIGHT_KEY") ?? "";
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
var concurrency = args.Length > 3 ? int.Parse(args[3]) : 32;

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", key);

var counter = 0;
Func<HttpRequestMessage> Get(string path) => () => new HttpRequestMessage(HttpMethod.Get, path);
Func<HttpRequestMessage> PostVendor() => () => new HttpRequestMessage(HttpMethod.Post, "/v1/vendors")
{
    Content = new StringContent($"{{\"name\":\"Bench Vendor {Interlocked.Increment(ref counter)}\",\"email\":\"bench@example.com\",\"country\":\"US\"}}",
        Encoding.UTF8, "application/json"),
};

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
