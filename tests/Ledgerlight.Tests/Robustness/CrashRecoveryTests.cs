using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Organization.Companies;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Storage;
using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Ledgerlight.Tests.Robustness;

/// <summary>
/// Crash test: the real server process is killed with SIGKILL, several times, while clients post
/// bills (create + post), sales invoices (create + open) and journal entries (created posted),
/// each request with its own X-Idempotency-Key. After each restart on the same database every
/// client retries its interrupted request with the same key. At the end: each document is fully
/// posted (balanced ledger lines) or not at all, the trial balance is zero overall and per
/// currency, no client's document exists twice, and replaying any key changes nothing.
/// </summary>
public class CrashRecoveryTests(ITestOutputHelper output)
{
    const int Clients = 4;
    const int Kills = 2;

    sealed class ServerProcess(string connectionString, int port, string dataDir) : IAsyncDisposable
    {
        Process? _process;
        public readonly ConcurrentQueue<string> Output = new();
        public Uri Address { get; } = new($"http://127.0.0.1:{port}");
        public int Starts { get; private set; }

        public async Task StartAsync()
        {
            var psi = CliRunner.StartInfo(["serve", "--database", connectionString, "--urls", Address.ToString().TrimEnd('/')]);
            psi.Environment["LEDGERLIGHT_DATA"] = dataDir;
            psi.Environment["LEDGERLIGHT_CONTRACT_BILLING"] = "off";
            psi.Environment["LEDGERLIGHT_RATE_LIMIT_PER_MINUTE"] = "1000000";
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Keep(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Keep(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Starts++;
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var until = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                Assert.False(_process.HasExited, "server exited while starting:\n" + string.Join("\n", Output));
                try
                {
                    if ((await probe.GetAsync(new Uri(Address, "/health/ready"))).IsSuccessStatusCode) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                Assert.True(DateTime.UtcNow < until, "server did not become ready:\n" + string.Join("\n", Output));
                await Task.Delay(100);
            }
        }

        void Keep(string line)
        {
            Output.Enqueue(line);
            while (Output.Count > 200) Output.TryDequeue(out _);
        }

        /// <summary>SIGKILL: no shutdown hooks, no flushing, in-flight requests cut off.</summary>
        public async Task KillAsync()
        {
            _process!.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false }) await KillAsync();
            _process?.Dispose();
        }
    }

    /// <summary>What a client did for one document: its marker, its id once known, and every request's outcome.</summary>
    sealed record Work(string Client, int Seq, string Kind, string Marker)
    {
        public string? Id { get; set; }
        public bool Posted { get; set; }
        public List<(string Key, string Method, string Path, string? Body)> Requests { get; } = [];
        public List<string> Notes { get; } = [];
    }

    [Fact]
    public async Task Killing_the_server_mid_stream_loses_nothing_half_posted_and_retries_post_once()
    {
        var clock = Stopwatch.StartNew();
        var connectionString = await TestCluster.CreateDatabaseAsync();
        string key;
        await using (var db = Database.Create(connectionString))
        {
            var company = await new CompanyStore(db, TimeProvider.System)
                .ProvisionAsync(new CompanySetup("Crash Test Co", "USD", $"owner@{Guid.NewGuid():N}.example", "Casey", "Crash"));
            key = (await new ApiKeyStore(db, TimeProvider.System).CreateAsync(company.CompanyId, Roles.Admin, "crash")).Key;
        }
        var dataDir = Path.Combine(Path.GetTempPath(), $"ledgerlight-crash-{Guid.NewGuid():N}");
        await using var server = new ServerProcess(connectionString, CliRunner.FreePort(), dataDir);
        await server.StartAsync();

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) })
        {
            BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(15),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", key);

        // Reference data, before any kill.
        async Task<JsonNode> Setup(string path, string? body = null)
        {
            using var response = body is null ? await http.GetAsync(path) : await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }
        var vendor = (await Setup("/v1/vendors", """{"name":"Crash Vendor"}"""))["vendorId"]!.GetValue<string>();
        var customer = (await Setup("/v1/customers", """{"name":"Crash Customer"}"""))["id"]!.GetValue<string>();
        var product = (await Setup("/v1/products", """{"name":"Crash Product","pricings":[{"currency":"USD","amount":12345}]}"""))["id"]!.GetValue<string>();
        var expense = (await Setup("/v1/ledger-accounts?filter=code:eq:6100"))["records"]![0]!["id"]!.GetValue<string>();
        var cash = (await Setup("/v1/ledger-accounts?filter=code:eq:1200"))["records"]![0]!["id"]!.GetValue<string>();

        var work = new ConcurrentBag<Work>();
        var stuck = new ConcurrentBag<string>(); // keys answered "still being processed" after a restart
        var tookEffect = new ConcurrentBag<string>(); // stuck keys whose request had in fact committed
        var replays = 0;
        using var stop = new CancellationTokenSource();

        // Sends one request with its idempotency key until it gets an answer; a dead server
        // (connection refused or reset) means wait and retry with the same key.
        async Task<(int Status, JsonNode? Body)> Send(Work w, HttpMethod method, string path, string? body, string idempotencyKey)
        {
            w.Requests.Add((idempotencyKey, method.Method, path, body));
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(method, path);
                    request.Headers.Add("X-Idempotency-Key", idempotencyKey);
                    if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    if (response.Headers.Contains("Idempotent-Replayed")) Interlocked.Increment(ref replays);
                    if (attempt > 0) w.Notes.Add($"{method} {path} key {idempotencyKey}: answered {status} after {attempt} retries");
                    return (status, text.Length > 0 ? JsonNode.Parse(text) : null);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    await Task.Delay(150);
                }
            }
        }

        // After a kill, a retry with the same key meets the dead server's claim. Until that server is
        // declared dead (its heartbeat stops) the answer is 409 "still being processed" with Retry-After:
        // wait and send the same key again. Then either the request runs (it had not committed) or the
        // answer is 409 ANSWER_LOST (it had committed; the error names what it created). Never twice.
        static bool AnswerLost(JsonNode? json) =>
            json?["errors"] is JsonArray { Count: > 0 } errors && errors[0]?["type"]?.GetValue<string>() == "ANSWER_LOST";

        async Task<(int Status, JsonNode? Body)> SendUntilSettled(Work w, HttpMethod method, string path, string? body, string idempotencyKey)
        {
            var until = DateTime.UtcNow.AddSeconds(40);
            while (true)
            {
                var (status, json) = await Send(w, method, path, body, idempotencyKey);
                var inFlight = status == 409 && !AnswerLost(json) && json?["message"]?.GetValue<string>().Contains("still being processed") == true;
                if (!inFlight) return (status, json);
                stuck.Add(idempotencyKey);
                Assert.True(DateTime.UtcNow < until, $"{idempotencyKey} still in flight after 40 s: {json?.ToJsonString()}");
                await Task.Delay(500);
            }
        }

        async Task<string> Create(Work w, string path, string body)
        {
            var (status, json) = await SendUntilSettled(w, HttpMethod.Post, path, body, $"{w.Marker}-create");
            if (status == 200) return (json!["id"] ?? json["vendorId"])!.GetValue<string>();
            Assert.True(AnswerLost(json), $"{w.Marker}: create answered {status}: {json?.ToJsonString()}");
            tookEffect.Add($"{w.Marker}-create"); // committed before the kill; the answer was lost
            return json!["errors"]![0]!["context"]!["createdId"]!.GetValue<string>();
        }

        async Task PostOnce(Work w, string path)
        {
            var (status, json) = await SendUntilSettled(w, HttpMethod.Post, path, null, $"{w.Marker}-post");
            if (status == 200) return;
            Assert.True(AnswerLost(json), $"{w.Marker}: {path} answered {status}: {json?.ToJsonString()}");
            tookEffect.Add($"{w.Marker}-post");
        }

        async Task Client(int client)
        {
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var kind = ((client + seq) % 3) switch { 0 => "bill", 1 => "invoice", _ => "journal" };
                var w = new Work($"c{client}", seq, kind, $"crash-c{client}-{seq}");
                work.Add(w);
                var amount = 1000 + client * 100 + seq;
                switch (kind)
                {
                    case "bill":
                        w.Id = await Create(w, "/v1/invoice-payables", $$"""
                            {"vendorId":"{{vendor}}","currency":"USD","invoiceNumber":"{{w.Marker}}","issuedDate":"2026-02-01",
                             "lineItems":[{"netAmount":{{amount}},"description":"a"},{"netAmount":{{amount / 2}},"taxAmount":{{amount / 10}}}]}
                            """);
                        await PostOnce(w, $"/v1/invoice-payables/{w.Id}/post");
                        break;
                    case "invoice":
                        w.Id = await Create(w, "/v1/invoice-receivables", $$"""
                            {"customerId":"{{customer}}","invoiceDate":"2026-02-02","description":"{{w.Marker}}",
                             "lines":[{"productId":"{{product}}","quantity":{{1 + seq % 3}}}]}
                            """);
                        await PostOnce(w, $"/v1/invoice-receivables/{w.Id}/open");
                        break;
                    default:
                        w.Id = await Create(w, "/v1/journal-entries", $$$"""
                            {"postingDate":"2026-02-03","shouldPost":true,"description":"{{{w.Marker}}}","lines":[
                              {"ledgerAccountId":"{{{expense}}}","netTransactionAmount":{"amount":{{{amount}}},"dcSign":"D"}},
                              {"ledgerAccountId":"{{{cash}}}","netTransactionAmount":{"amount":{{{amount}}},"dcSign":"C"}}]}
                            """);
                        break;
                }
                w.Posted = true;
            }
        }

        output.WriteLine($"server up and reference data in place after {clock.Elapsed.TotalSeconds:F0} s");
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => Client(c))).ToList();
        var random = new Random(Environment.GetEnvironmentVariable("LEDGERLIGHT_CRASH_SEED") is { } s && int.TryParse(s, out var seed) ? seed : 8);
        for (var kill = 0; kill < Kills; kill++)
        {
            await Task.Delay(random.Next(700, 2000)); // at a random moment, mid-stream
            await server.KillAsync();
            await server.StartAsync();
        }
        await Task.Delay(800); // the clients finish their interrupted requests on the last server
        stop.Cancel();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(40));
        output.WriteLine($"kills done and clients stopped after {clock.Elapsed.TotalSeconds:F0} s");

        // Every request replayed once more with its key: nothing new may happen.
        var before = await LedgerCounts(connectionString);
        foreach (var w in work)
            foreach (var (idemKey, method, path, body) in w.Requests.DistinctBy(r => r.Key).ToList())
                await Send(new Work(w.Client, w.Seq, w.Kind, w.Marker), new HttpMethod(method), path, body, idemKey);
        var after = await LedgerCounts(connectionString);
        Assert.Equal(before, after);

        var problems = await CheckLedger(connectionString, work.ToList());
        output.WriteLine($"{work.Count} documents by {Clients} clients, server started {server.Starts} times ({Kills} SIGKILLs), " +
                         $"{replays} replayed answers, {stuck.Distinct().Count()} keys left 'in flight' by a killed server, {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var key2 in stuck.Distinct()) output.WriteLine($"  in flight at a kill, answered 409 until its server was declared dead: {key2}");
        output.WriteLine($"of those, their request had in fact committed: {string.Join(", ", tookEffect)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(work.Count(w => w.Posted) >= Clients, $"only {work.Count(w => w.Posted)} documents completed");
    }

    static async Task<(long Transactions, long Lines, long Documents)> LedgerCounts(string connectionString)
    {
        await using var db = Database.Create(connectionString);
        await using var cmd = db.CreateCommand("""
            SELECT (SELECT count(*) FROM ledger_transactions), (SELECT count(*) FROM ledger_lines),
                   (SELECT count(*) FROM invoice_payables) + (SELECT count(*) FROM invoice_receivables) + (SELECT count(*) FROM journal_entries)
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    /// <summary>Everything that is wrong with the books, one line per problem.</summary>
    static async Task<List<string>> CheckLedger(string connectionString, List<Work> work)
    {
        var problems = new List<string>();
        await using var db = Database.Create(connectionString);
        async Task<List<object[]>> Rows(string sql)
        {
            await using var cmd = db.CreateCommand(sql);
            await using var r = await cmd.ExecuteReaderAsync();
            var rows = new List<object[]>();
            while (await r.ReadAsync())
            {
                var row = new object[r.FieldCount];
                r.GetValues(row);
                rows.Add(row);
            }
            return rows;
        }

        // Trial balance: debits = credits overall (local) and per transaction currency.
        foreach (var row in await Rows("""
            SELECT transaction_currency, sum(CASE dc_sign WHEN 'D' THEN transaction_amount ELSE -transaction_amount END),
                   sum(CASE dc_sign WHEN 'D' THEN local_amount ELSE -local_amount END)
              FROM ledger_lines GROUP BY transaction_currency
            """))
            if ((decimal)row[1] != 0 || (decimal)row[2] != 0) problems.Add($"trial balance off in {row[0]}: transaction {row[1]}, local {row[2]}");
        // Each ledger transaction balanced, and the daily balances agree with the lines.
        foreach (var row in await Rows("""
            SELECT ledger_transaction_id, sum(CASE dc_sign WHEN 'D' THEN local_amount ELSE -local_amount END), count(*)
              FROM ledger_lines GROUP BY ledger_transaction_id
             HAVING sum(CASE dc_sign WHEN 'D' THEN local_amount ELSE -local_amount END) <> 0 OR count(*) < 2
            """))
            problems.Add($"ledger transaction {row[0]} unbalanced ({row[1]}) or with {row[2]} line(s)");
        foreach (var row in await Rows("""
            SELECT l.account_id, l.d, l.c, b.d, b.c FROM
              (SELECT account_id, sum(local_amount) FILTER (WHERE dc_sign = 'D') AS d, sum(local_amount) FILTER (WHERE dc_sign = 'C') AS c
                 FROM ledger_lines GROUP BY account_id) l
              FULL JOIN (SELECT account_id, sum(debit_local) AS d, sum(credit_local) AS c FROM account_daily_balances GROUP BY account_id) b
                ON b.account_id = l.account_id
             WHERE coalesce(l.d, 0) <> coalesce(b.d, 0) OR coalesce(l.c, 0) <> coalesce(b.c, 0)
            """))
            problems.Add($"account {row[0]}: lines D {row[1]} C {row[2]} but daily balances D {row[3]} C {row[4]}");
        foreach (var row in await Rows("""
            SELECT t.id FROM ledger_transactions t WHERE NOT EXISTS (SELECT 1 FROM ledger_lines l WHERE l.ledger_transaction_id = t.id)
            """))
            problems.Add($"ledger transaction {row[0]} without lines");

        // Each client document: once, and posted fully or not at all.
        var documents = await Rows("""
            SELECT 'bill', invoice_number, id, state NOT IN ('IN_DRAFT', 'DRAFT') FROM invoice_payables WHERE invoice_number LIKE 'crash-%'
            UNION ALL SELECT 'invoice', description, id, state <> 'DRAFT' FROM invoice_receivables WHERE description LIKE 'crash-%'
            UNION ALL SELECT 'journal', description, id, status = 'POSTED' FROM journal_entries WHERE description LIKE 'crash-%'
            """);
        var postings = (await Rows("SELECT accounting_document_id, count(*) FROM ledger_transactions GROUP BY accounting_document_id"))
            .ToDictionary(r => (Guid)r[0], r => (long)r[1]);
        var accounted = (await Rows("SELECT id FROM accounting_documents")).Select(r => (Guid)r[0]).ToHashSet();
        foreach (var group in documents.GroupBy(d => (string)d[1]))
        {
            var w = work.FirstOrDefault(x => x.Marker == group.Key);
            var history = w is null ? "" : $"\n    requests: {string.Join("; ", w.Requests.Select(r => $"{r.Method} {r.Path} key {r.Key}"))}\n    {string.Join("\n    ", w.Notes)}";
            if (group.Count() > 1) problems.Add($"{group.Key}: {group.Count()} documents for one client request (duplicate){history}");
            foreach (var d in group)
            {
                var id = (Guid)d[2];
                var posted = (bool)d[3];
                var transactions = postings.GetValueOrDefault(id);
                if (transactions > 1) problems.Add($"{group.Key} ({d[0]} {id}): posted {transactions} times{history}");
                if (posted != (transactions == 1) || posted != accounted.Contains(id))
                    problems.Add($"{group.Key} ({d[0]} {id}): state says posted={posted} but {transactions} ledger transactions, " +
                                 $"accounting document {(accounted.Contains(id) ? "present" : "absent")}{history}");
                if (w is { Posted: true } && !posted) problems.Add($"{group.Key}: the client finished it but it is not posted{history}");
            }
        }
        foreach (var w in work.Where(w => w.Posted && documents.All(d => (string)d[1] != w.Marker)))
            problems.Add($"{w.Marker}: the client finished it but no document exists");
        return problems;
    }
}
