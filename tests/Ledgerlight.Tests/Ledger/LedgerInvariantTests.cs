using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

/// <summary>
/// Property tests: random sequences of postings and archives (reversals), generated from fixed
/// seeds so a failure replays exactly. After every sequence the trial balance is zero on every
/// date, every account balance equals an independent model, and the maintained daily balances
/// equal a sum over the raw ledger lines.
/// </summary>
public class LedgerInvariantTests(ApiServer server) : IClassFixture<ApiServer>
{
    static readonly int[] Codes = [1200, 1400, 1700, 2000, 2200, 3000, 4000, 4100, 6100, 6200, 6300, 6400];

    [Theory]
    [InlineData(11)]
    [InlineData(2024)]
    [InlineData(777)]
    public async Task Random_postings_and_reversals_keep_the_books_balanced(int seed)
    {
        var tenant = await server.CreateTenantAsync($"Property Co {seed}", "USD");
        var kit = new LedgerTestKit(tenant.Admin);
        var random = new Random(seed);
        var model = new Dictionary<(int Code, DateOnly Day), long>();
        var posted = new List<(string Id, DateOnly Day, List<(int Code, long Signed)> Effects)>();

        for (var step = 0; step < 40; step++)
        {
            if (posted.Count > 0 && random.Next(4) == 0)
            {
                var victim = posted[random.Next(posted.Count)];
                posted.Remove(victim);
                (await tenant.Admin.PostAsync($"/v1/journal-entries/{victim.Id}/archive")).AssertOk();
                foreach (var (code, signed) in victim.Effects) Add(model, code, victim.Day, -signed);
                continue;
            }
            var day = new DateOnly(2026, 1, 1).AddDays(random.Next(180));
            var (lines, effects) = await RandomBalancedLines(kit, random);
            var entry = await kit.Post(day.ToString("yyyy-MM-dd"), lines.ToArray());
            posted.Add((entry["id"]!.GetValue<string>(), day, effects));
            foreach (var (code, signed) in effects) Add(model, code, day, signed);
        }

        foreach (var asOf in new[] { "2026-01-15", "2026-02-28", "2026-04-01", "2026-06-30", "2026-12-31" })
        {
            var tb = await kit.TrialBalance(asOf);
            Assert.Equal(0, tb["difference"]!.GetValue<long>());
            var cutoff = DateOnly.Parse(asOf);
            foreach (var code in Codes)
            {
                var expected = model.Where(kv => kv.Key.Code == code && kv.Key.Day <= cutoff).Sum(kv => kv.Value);
                var actual = tb["accounts"]!.AsArray().Where(a => a!["code"]!.GetValue<int>() == code).Sum(a => a!["balance"]!.GetValue<long>());
                Assert.True(expected == actual, $"seed {seed}: account {code} as of {asOf}: model {expected}, ledger {actual}");
            }
        }

        // The maintained per-day balances agree with the lines themselves.
        await using var cmd = server.Db.CreateCommand("""
            SELECT (SELECT coalesce(sum(debit_local - credit_local), 0) FROM account_daily_balances WHERE company_id = $1 AND account_id = a.id)
                 - (SELECT coalesce(sum(signed_local_amount), 0) FROM ledger_lines WHERE company_id = $1 AND account_id = a.id)
              FROM ledger_accounts a WHERE a.company_id = $1
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenant.CompanyId });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) Assert.Equal(0L, reader.GetInt64(0));
    }

    static void Add(Dictionary<(int, DateOnly), long> model, int code, DateOnly day, long signed) =>
        model[(code, day)] = model.GetValueOrDefault((code, day)) + signed;

    static async Task<(List<object> Lines, List<(int Code, long Signed)> Effects)> RandomBalancedLines(LedgerTestKit kit, Random random)
    {
        var lines = new List<object>();
        var effects = new List<(int, long)>();
        var debitCount = random.Next(1, 4);
        long total = 0;
        for (var i = 0; i < debitCount; i++)
        {
            var code = Codes[random.Next(Codes.Length)];
            var amount = random.Next(1, 5_000_000);
            total += amount;
            lines.Add(LedgerTestKit.Line(await kit.Account(code), amount, "D"));
            effects.Add((code, amount));
        }
        // Split the total over one to three credit lines.
        var creditCount = random.Next(1, 4);
        var remaining = total;
        for (var i = 0; i < creditCount; i++)
        {
            var code = Codes[random.Next(Codes.Length)];
            var amount = i == creditCount - 1 ? remaining : random.NextInt64(0, remaining + 1);
            remaining -= amount;
            lines.Add(LedgerTestKit.Line(await kit.Account(code), amount, "C"));
            effects.Add((code, -amount));
        }
        return (lines, effects);
    }
}

/// <summary>Many clients posting to the same accounts at once: no line lost or doubled, no deadlock.</summary>
public class LedgerConcurrencyTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Parallel_postings_to_the_same_accounts_keep_every_line()
    {
        var kit = new LedgerTestKit(server.Admin);
        var expense = await kit.Account(6300);
        var bank = await kit.Account(1200);
        var cash = await kit.Account(1100);
        const int Entries = 48;
        var results = await Task.WhenAll(Enumerable.Range(1, Entries).Select(i =>
            server.Admin.PostAsync("/v1/journal-entries", new
            {
                postingDate = i % 2 == 0 ? "2026-08-01" : "2026-08-02", shouldPost = true,
                // Half the entries list the accounts in the opposite order: lock ordering must not depend on the request.
                lines = i % 2 == 0
                    ? new[] { LedgerTestKit.Line(expense, i, "D"), LedgerTestKit.Line(bank, i, "C"), LedgerTestKit.Line(cash, 0, "C") }
                    : new[] { LedgerTestKit.Line(cash, 0, "C"), LedgerTestKit.Line(bank, i, "C"), LedgerTestKit.Line(expense, i, "D") },
            })));
        Assert.All(results, r => r.AssertOk());

        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accountId:eq:{expense}&limit=1")).AssertOk();
        Assert.Equal(Entries, lines["total"]!.GetValue<long>());
        Assert.Equal(Entries * (Entries + 1) / 2, await kit.Balance(6300, "2026-12-31"));
        Assert.Equal(-Entries * (Entries + 1) / 2, await kit.Balance(1200, "2026-12-31"));

        var numbers = results.Select(r => r.Json["documentNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(Entries, numbers.Distinct().Count());
        var sequence = numbers.Select(n => int.Parse(n.Split('-')[2])).Order().ToList();
        Assert.Equal(Enumerable.Range(sequence[0], Entries), sequence); // gap-free
    }

    [Fact]
    public async Task Archiving_the_same_entry_twice_at_once_reverses_it_once()
    {
        var kit = new LedgerTestKit(server.Admin);
        var entry = await kit.Post("2026-09-01", LedgerTestKit.Line(await kit.Account(6400), 777, "D"), LedgerTestKit.Line(await kit.Account(1200), 777, "C"));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.Admin.PostAsync($"/v1/journal-entries/{entry["id"]}/archive")));
        Assert.Single(attempts, a => a.Code == 200);
        Assert.All(attempts.Where(a => a.Code != 200), a => a.AssertError(409, "CONFLICT"));
        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}")).AssertOk();
        Assert.Equal(4, lines["total"]!.GetValue<long>());
    }
}
