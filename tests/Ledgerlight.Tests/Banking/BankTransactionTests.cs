using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Banking.BankingHelpers;

namespace Ledgerlight.Tests.Banking;

public class BankTransactionTests(ApiServer server) : IClassFixture<ApiServer>
{
    Task<long> StoredLines(string bankAccountId) => server.ScalarAsync(
        "SELECT count(*) FROM bank_transactions WHERE company_id = $1 AND bank_account_id = $2", server.Company.CompanyId, Guid.Parse(bankAccountId));

    Task<ApiResponse> Post(string bankAccountId, params object[] lines) =>
        server.Admin.PostAsync($"/v1/bank-accounts/{bankAccountId}/bank-transactions", new { transactions = lines });

    [Fact]
    public async Task Created_lines_come_back_in_request_order_unmatched_and_can_be_fetched()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var response = await Post(account,
            new { date = "2024-03-05", amount = 12_345L, dcSign = "C", name = "ACME Inc", memo = "Invoice 42", reference = "RF18", transactionId = "z-last" },
            Line("2024-03-01", 999, "D", "a-first"),
            Line("2024-03-02", 1, "D"));
        var created = response.AssertOk().AsArray();

        Assert.Equal("3", response.Header("X-Created-Count"));
        Assert.Equal("0", response.Header("X-Skipped-Count"));
        Assert.Equal([12_345L, 999L, 1L], created.Select(t => t!["amount"]!.GetValue<long>()));
        Assert.All(created, t => Assert.Equal("UNMATCHED", t!["reconciliationStatus"]!.GetValue<string>()));
        Assert.All(created, t => Assert.Equal(account, t!.Id("bankAccountId")));
        var first = created[0]!;
        Assert.Equal("2024-03-05", first["date"]!.GetValue<string>());
        Assert.Equal("C", first["dcSign"]!.GetValue<string>());
        Assert.Equal("ACME Inc", first["name"]!.GetValue<string>());
        Assert.Equal("Invoice 42", first["memo"]!.GetValue<string>());
        Assert.Equal("RF18", first["reference"]!.GetValue<string>());
        Assert.Equal("z-last", first["transactionId"]!.GetValue<string>());
        Assert.Null(created[2]!["transactionId"]);

        foreach (var t in created)
        {
            var fetched = (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions/{t!.Id()}")).AssertOk();
            Assert.Equal(t!.ToJsonString(), fetched.ToJsonString());
        }
    }

    [Fact]
    public async Task Duplicates_by_transaction_id_are_skipped_within_a_batch_and_across_batches()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var first = await Post(account,
            Line("2024-01-01", 100, "C", "A"),
            Line("2024-01-02", 200, "C", "B"),
            Line("2024-01-03", 300, "C", "A"), // repeated in the batch: the first one wins
            Line("2024-01-04", 400, "D"),
            Line("2024-01-04", 400, "D")); // no transactionId: never a duplicate
        Assert.Equal("4", first.Header("X-Created-Count"));
        Assert.Equal("1", first.Header("X-Skipped-Count"));
        Assert.Equal([100L, 200L, 400L, 400L], first.AssertOk().AsArray().Select(t => t!["amount"]!.GetValue<long>()));

        var second = await Post(account, Line("2024-01-05", 999, "C", "A"), Line("2024-01-05", 500, "C", "C"), Line("2024-01-06", 1, "C", "B"));
        Assert.Equal("1", second.Header("X-Created-Count"));
        Assert.Equal("2", second.Header("X-Skipped-Count"));
        Assert.Equal("C", second.AssertOk().AsArray().Single()!["transactionId"]!.GetValue<string>());

        var again = await Post(account, Line("2024-01-05", 500, "C", "C"));
        Assert.Equal("0", again.Header("X-Created-Count"));
        Assert.Empty(again.AssertOk().AsArray());

        Assert.Equal(5, await StoredLines(account));
        Assert.Equal(100, await server.ScalarAsync(
            "SELECT amount FROM bank_transactions WHERE company_id = $1 AND bank_account_id = $2 AND transaction_id = 'A'",
            server.Company.CompanyId, Guid.Parse(account)));

        // The same transactionId on another bank account is a different line.
        var otherAccount = (await CreateAccountAsync(server.Company)).Id();
        Assert.Equal("1", (await Post(otherAccount, Line("2024-01-01", 100, "C", "A"))).Header("X-Created-Count"));

        // Skipped lines changed no total: 100 + 200 + 500 in, 400 + 400 out.
        (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance", new { balance = 0 })).AssertOk();
        Assert.Equal(0, (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/balance?asOf=2024-12-31")).AssertOk()["bankBalance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_batch_of_500_is_accepted_and_501_is_400_storing_nothing()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var tooMany = Enumerable.Range(0, 501).Select(i => Line("2024-05-01", i + 1, "C", $"t{i}")).ToArray();
        var error = (await Post(account, tooMany)).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["transactions"], PathOf(error).Select(p => p.ToString()));
        Assert.Equal(0, await StoredLines(account));

        var response = await Post(account, tooMany[..500]);
        Assert.Equal(500, response.AssertOk().AsArray().Count);
        Assert.Equal("500", response.Header("X-Created-Count"));
        Assert.Equal(500, await StoredLines(account));
    }

    public static TheoryData<string, object[]> BadLines() => new()
    {
        { """{"date":"2024-01-01","amount":0,"dcSign":"C"}""", ["transactions", 1, "amount"] },
        { """{"date":"2024-01-01","amount":-5,"dcSign":"C"}""", ["transactions", 1, "amount"] },
        { """{"date":"2024-01-01","amount":"5","dcSign":"C"}""", ["transactions", 1, "amount"] },
        { """{"date":"2024-01-01","amount":1.5,"dcSign":"C"}""", ["transactions", 1, "amount"] },
        { """{"date":"2024-01-01","dcSign":"C"}""", ["transactions", 1, "amount"] },
        { """{"date":"2024-01-01","amount":5,"dcSign":"X"}""", ["transactions", 1, "dcSign"] },
        { """{"date":"2024-01-01","amount":5}""", ["transactions", 1, "dcSign"] },
        { """{"amount":5,"dcSign":"D"}""", ["transactions", 1, "date"] },
        { """{"date":"2024-13-01","amount":5,"dcSign":"D"}""", ["transactions", 1, "date"] },
        { """{"date":"2024-01-01","amount":5,"dcSign":"D","transactionId":"  "}""", ["transactions", 1, "transactionId"] },
        { "null", ["transactions", 1] },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task One_bad_line_is_400_with_its_path_and_nothing_is_stored(string badLine, object[] path)
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var body = $$"""{"transactions":[{"date":"2024-01-01","amount":5,"dcSign":"C","transactionId":"good-1"},{{badLine}},{"date":"2024-01-02","amount":7,"dcSign":"D"}]}""";
        var error = (await server.Admin.PostAsync($"/v1/bank-accounts/{account}/bank-transactions", body)).AssertError(400, "BAD_REQUEST");
        Assert.True(HasErrorAt(error, path), $"no error at [{string.Join(",", path)}]: {error}");
        Assert.Equal(0, await StoredLines(account));
    }

    [Fact]
    public async Task Missing_or_malformed_transactions_array_is_400()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var missing = (await server.Admin.PostAsync($"/v1/bank-accounts/{account}/bank-transactions", new { })).AssertError(400, "BAD_REQUEST");
        Assert.True(HasErrorAt(missing, "transactions"));
        var notArray = (await server.Admin.PostAsync($"/v1/bank-accounts/{account}/bank-transactions", """{"transactions":{"a":1}}"""))
            .AssertError(400, "BAD_REQUEST");
        Assert.True(HasErrorAt(notArray, "transactions"));
        var empty = await Post(account);
        Assert.Empty(empty.AssertOk().AsArray());
        Assert.Equal("0", empty.Header("X-Created-Count"));
    }

    [Fact]
    public async Task Concurrent_batches_sharing_transaction_ids_store_each_line_once()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var lines = Enumerable.Range(0, 200).Select(i => Line($"2024-06-{i % 28 + 1:00}", 1000 + i, i % 3 == 0 ? "D" : "C", $"shared-{i}")).ToList();
        // Each batch offers the same ids in a different order: lock order must not depend on it.
        var batches = Enumerable.Range(0, 6).Select(b => lines.OrderBy(_ => Random.Shared.Next()).ToArray()).ToList();
        var responses = await Task.WhenAll(batches.Select(b => Post(account, b)));

        Assert.All(responses, r => r.AssertOk());
        Assert.Equal(200, responses.Sum(r => int.Parse(r.Header("X-Created-Count")!)));
        Assert.Equal(200, await StoredLines(account));
        // The daily totals agree with the lines they summarise.
        Assert.Equal(
            await server.ScalarAsync("SELECT sum(CASE dc_sign WHEN 'C' THEN amount ELSE -amount END) FROM bank_transactions WHERE company_id = $1 AND bank_account_id = $2",
                server.Company.CompanyId, Guid.Parse(account)),
            await server.ScalarAsync("SELECT sum(credit_total - debit_total) FROM bank_account_daily_totals WHERE company_id = $1 AND bank_account_id = $2",
                server.Company.CompanyId, Guid.Parse(account)));
        Assert.Equal(200, await server.ScalarAsync("SELECT sum(transaction_count) FROM bank_account_daily_totals WHERE company_id = $1 AND bank_account_id = $2",
            server.Company.CompanyId, Guid.Parse(account)));
    }

    [Fact]
    public async Task Get_is_404_for_a_line_of_another_bank_account_or_an_unknown_id()
    {
        var a = (await CreateAccountAsync(server.Company)).Id();
        var b = (await CreateAccountAsync(server.Company)).Id();
        var line = (await Post(a, Line("2024-01-01", 10, "C"))).AssertOk().AsArray().Single()!.Id();
        (await server.Admin.GetAsync($"/v1/bank-accounts/{a}/bank-transactions/{line}")).AssertOk();
        (await server.Admin.GetAsync($"/v1/bank-accounts/{b}/bank-transactions/{line}")).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/bank-accounts/{a}/bank-transactions/{Guid.NewGuid()}")).AssertError(404, "NOT_FOUND");
    }

    async Task<(string Account, List<JsonNode> Lines)> StatementAsync()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var lines = (await Post(account,
            Line("2024-04-01", 500, "C", "s1", "Beta"),
            Line("2024-04-02", 300, "D", "s2", "alpha"),
            Line("2024-04-02", 700, "C", "s3"),
            Line("2024-04-03", 100, "D", "s4", "Gamma"),
            Line("2024-04-05", 900, "C", "s5", "Delta"))).AssertOk().AsArray().Select(n => n!).ToList();
        return (account, lines);
    }

    static List<long> Amounts(JsonNode page) => page["records"]!.AsArray().Select(t => t!["amount"]!.GetValue<long>()).ToList();

    [Fact]
    public async Task List_pages_with_total_and_the_balance_newest_first_by_default()
    {
        var (account, _) = await StatementAsync();
        (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance", new { balance = 10_000L, balanceAt = "2024-03-31T00:00:00Z" })).AssertOk();

        var page = (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions?limit=2")).AssertOk();
        Assert.Equal(5, page["total"]!.GetValue<long>());
        Assert.Equal(10_000 + 500 - 300 + 700 - 100 + 900, page["balance"]!.GetValue<long>());
        Assert.Equal([900L, 100L], Amounts(page));
        var next = (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions?limit=2&offset=2")).AssertOk();
        Assert.Equal(2, Amounts(next).Count);
        Assert.DoesNotContain(900L, Amounts(next));

        var dates = (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions")).AssertOk()["records"]!.AsArray()
            .Select(t => t!["date"]!.GetValue<string>()).ToList();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
    }

    [Fact]
    public async Task List_without_an_opening_balance_sums_the_lines()
    {
        var (account, _) = await StatementAsync();
        var page = (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions")).AssertOk();
        Assert.Equal(500 - 300 + 700 - 100 + 900, page["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task List_sorts_and_filters_from_the_spec()
    {
        var (account, _) = await StatementAsync();
        var path = $"/v1/bank-accounts/{account}/bank-transactions";

        Assert.Equal([100L, 300L, 500L, 700L, 900L], Amounts((await server.Admin.GetAsync($"{path}?sort=amount:asc")).AssertOk()));
        Assert.Equal([300L, 100L, 900L, 700L, 500L], Amounts((await server.Admin.GetAsync($"{path}?sort=dcSign:desc,amount:desc")).AssertOk()));
        Assert.Equal([900L, 700L, 500L], Amounts((await server.Admin.GetAsync($"{path}?filter=dcSign:eq:C&sort=date:desc,amount:asc")).AssertOk()));
        Assert.Equal([300L, 700L, 100L], Amounts((await server.Admin.GetAsync($"{path}?filter=date:gte:2024-04-02,date:lte:2024-04-03&sort=date:asc,amount:asc")).AssertOk()));
        Assert.Equal(5, (await server.Admin.GetAsync($"{path}?filter=reconciliationStatus:eq:UNMATCHED")).AssertOk()["total"]!.GetValue<long>());
        Assert.Equal(0, (await server.Admin.GetAsync($"{path}?filter=reconciliationStatus:in:MATCHED|EXCLUDED")).AssertOk()["total"]!.GetValue<long>());
        // Names sort with NULLs last ascending (PostgreSQL's order), the rest by the database collation.
        var byName = (await server.Admin.GetAsync($"{path}?sort=name:asc")).AssertOk()["records"]!.AsArray();
        Assert.Null(byName[^1]!["name"]);
        var byMemo = (await server.Admin.GetAsync($"{path}?sort=memo:asc,amount:asc")).AssertOk();
        Assert.Equal([100L, 300L, 500L, 700L, 900L], Amounts(byMemo));

        (await server.Admin.GetAsync($"{path}?sort=createdAt:asc")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync($"{path}?filter=amount:gt:5")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync($"{path}?filter=date:eq:yesterday")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync($"{path}?limit=201")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Cursor_paging_walks_every_line_once_in_both_directions()
    {
        var (account, lines) = await StatementAsync();
        var path = $"/v1/bank-accounts/{account}/bank-transactions";
        var seen = new List<string>();
        var page = (await server.Admin.GetAsync($"{path}?limit=2&cursor=0&sort=amount:desc")).AssertOk();
        Assert.Null(page["total"]);
        var pages = new List<JsonNode> { page };
        seen.AddRange(page["records"]!.AsArray().Select(t => t!.Id()));
        while (page["nextCursor"] is { } cursor)
        {
            page = (await server.Admin.GetAsync($"{path}?limit=2&sort=amount:desc&cursor={cursor}")).AssertOk();
            pages.Add(page);
            seen.AddRange(page["records"]!.AsArray().Select(t => t!.Id()));
        }
        Assert.Equal(lines.OrderByDescending(l => l["amount"]!.GetValue<long>()).Select(l => l.Id()), seen);

        var back = (await server.Admin.GetAsync($"{path}?limit=2&sort=amount:desc&cursor={page["prevCursor"]}")).AssertOk();
        Assert.Equal(pages[^2]["records"]!.ToJsonString(), back["records"]!.ToJsonString());
    }
}
