using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Banking.BankingHelpers;

namespace Ledgerlight.Tests.Banking;

public class BankBalanceTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<JsonNode> BalanceAsync(string account, string? asOf = null) =>
        (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/balance" + (asOf is null ? "" : $"?asOf={asOf}"))).AssertOk();

    async Task<string> AccountWithStatementAsync()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        (await server.Admin.PostAsync($"/v1/bank-accounts/{account}/bank-transactions", new
        {
            transactions = new[]
            {
                Line("2024-01-10", 5_000, "C", "in-1"),  // money in
                Line("2024-01-20", 2_000, "D", "out-1"), // money out
                Line("2024-01-20", 300, "D", "out-2"),
                Line("2024-02-01", 100, "C", "in-2"),
            },
        })).AssertOk();
        return account;
    }

    [Fact]
    public async Task Bank_balance_is_opening_plus_credits_minus_debits_up_to_as_of()
    {
        var account = await AccountWithStatementAsync();
        (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance", new { balance = 10_000L, balanceAt = "2024-01-01T00:00:00Z" })).AssertOk();

        async Task<long> At(string day) => (await BalanceAsync(account, day))["bankBalance"]!.GetValue<long>();
        Assert.Equal(10_000, await At("2024-01-09"));
        Assert.Equal(15_000, await At("2024-01-10")); // on the day counts
        Assert.Equal(15_000, await At("2024-01-19"));
        Assert.Equal(12_700, await At("2024-01-20"));
        Assert.Equal(12_700, await At("2024-01-31"));
        Assert.Equal(12_800, await At("2024-02-01"));
        Assert.Equal(12_800, await At("2030-01-01"));

        var today = await BalanceAsync(account);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), today["asOf"]!.GetValue<string>());
        Assert.Equal(12_800, today["bankBalance"]!.GetValue<long>());
        Assert.Equal("USD", today["currency"]!.GetValue<string>());
        Assert.Equal(account, today.Id("bankAccountId"));
        Assert.Equal(0, today["ledgerBalance"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_an_opening_balance_the_bank_balance_is_null()
    {
        var account = await AccountWithStatementAsync();
        var balance = await BalanceAsync(account, "2024-12-31");
        Assert.Null(balance["bankBalance"]);
        Assert.Equal(0, balance["ledgerBalance"]!.GetValue<long>());
        Assert.Equal("2024-12-31", balance["asOf"]!.GetValue<string>());
    }

    [Fact]
    public async Task Opening_balance_upsert_replaces_the_one_balance()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var before = DateTime.UtcNow.AddSeconds(-5);
        var first = (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance", new { balance = 100L })).AssertOk();
        Assert.Equal(100, first["balance"]!.GetValue<long>());
        Assert.Equal(account, first.Id("bankAccountId"));
        var defaultAt = DateTime.Parse(first["balanceAt"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange(defaultAt, before, DateTime.UtcNow.AddSeconds(5));

        var second = (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance",
            new { balance = -250L, balanceAt = "2024-06-30T12:00:00Z" })).AssertOk();
        Assert.Equal(first.Id(), second.Id());
        Assert.Equal(-250, second["balance"]!.GetValue<long>());
        Assert.Equal("2024-06-30T12:00:00.000000Z", second["balanceAt"]!.GetValue<string>());

        Assert.Equal(1, await server.ScalarAsync("SELECT count(*) FROM bank_account_balances WHERE company_id = $1 AND bank_account_id = $2",
            server.Company.CompanyId, Guid.Parse(account)));
        Assert.Equal(-250, (await BalanceAsync(account))["bankBalance"]!.GetValue<long>());
    }

    [Fact]
    public async Task Bad_balance_input_is_400_with_its_path()
    {
        var account = (await CreateAccountAsync(server.Company)).Id();
        var path = $"/v1/bank-accounts/{account}/balance";
        Assert.True(HasErrorAt((await server.Admin.PutAsync(path, new { balanceAt = "2024-01-01T00:00:00Z" })).AssertError(400, "BAD_REQUEST"), "balance"));
        Assert.True(HasErrorAt((await server.Admin.PutAsync(path, """{"balance":"100"}""")).AssertError(400, "BAD_REQUEST"), "balance"));
        Assert.True(HasErrorAt((await server.Admin.PutAsync(path, """{"balance":1,"balanceAt":"yesterday"}""")).AssertError(400, "BAD_REQUEST"), "balanceAt"));
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM bank_account_balances WHERE company_id = $1 AND bank_account_id = $2",
            server.Company.CompanyId, Guid.Parse(account)));

        foreach (var bad in new[] { "2024-1-5", "2024-02-30", "today", "2024-01-01T00:00:00Z" })
        {
            var error = (await server.Admin.GetAsync($"{path}?asOf={bad}")).AssertError(400, "BAD_REQUEST");
            Assert.Equal(["asOf"], PathOf(error).Select(p => p.ToString()));
        }
    }

    /// <summary>Journal entries posted through the API move the ledger side; the difference is the reconciliation gap.</summary>
    [Fact]
    public async Task Ledger_balance_sums_postings_to_the_bank_ledger_account_and_gives_the_gap()
    {
        var account = await AccountWithStatementAsync();
        (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance", new { balance = 10_000L, balanceAt = "2024-01-01T00:00:00Z" })).AssertOk();
        var ledgerAccountId = Guid.Parse((await server.Admin.GetAsync(
                $"/v1/ledger-accounts?filter=type:eq:BANK&limit=200")).AssertOk()["records"]!.AsArray()
            .Single(a => a!["bankAccountId"]?.GetValue<string>() == account)!.Id());
        var otherAccountId = Guid.Parse((await server.Admin.GetAsync("/v1/ledger-accounts?filter=code:eq:1200")).AssertOk()["records"]![0]!.Id());
        var equity = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=code:eq:3000")).AssertOk()["records"]![0]!.Id();

        async Task Day(Guid accountId, string day, long debit, long credit, string ledger = "PRIMARY")
        {
            var lines = new List<object>();
            if (debit > 0) lines.AddRange([Leg(accountId.ToString(), debit, "D"), Leg(equity, debit, "C")]);
            if (credit > 0) lines.AddRange([Leg(accountId.ToString(), credit, "C"), Leg(equity, credit, "D")]);
            (await server.Admin.PostAsync("/v1/journal-entries", new { postingDate = day, ledgerName = ledger, shouldPost = true, lines })).AssertOk();
        }
        await Day(ledgerAccountId, "2024-01-01", 10_000, 0);  // opening balance journal
        await Day(ledgerAccountId, "2024-01-10", 5_000, 0);   // customer receipt booked
        await Day(ledgerAccountId, "2024-01-25", 0, 2_000);   // vendor payment booked late
        await Day(ledgerAccountId, "2024-03-01", 1_000, 400);
        await Day(otherAccountId, "2024-01-10", 777_777, 0);  // another account: never counted
        await Day(ledgerAccountId, "2024-01-10", 55_555, 0, "ELIMINATION"); // the elimination ledger: not the primary books

        var jan20 = await BalanceAsync(account, "2024-01-20");
        Assert.Equal(12_700, jan20["bankBalance"]!.GetValue<long>());
        Assert.Equal(15_000, jan20["ledgerBalance"]!.GetValue<long>());
        Assert.Equal(-2_300, jan20["bankBalance"]!.GetValue<long>() - jan20["ledgerBalance"]!.GetValue<long>()); // payments not yet booked

        var jan31 = await BalanceAsync(account, "2024-01-31");
        Assert.Equal(13_000, jan31["ledgerBalance"]!.GetValue<long>());
        Assert.Equal(-300, jan31["bankBalance"]!.GetValue<long>() - jan31["ledgerBalance"]!.GetValue<long>());

        var later = await BalanceAsync(account, "2024-03-01");
        Assert.Equal(13_600, later["ledgerBalance"]!.GetValue<long>());
        Assert.Equal(0, (await BalanceAsync(account, "2023-12-31"))["ledgerBalance"]!.GetValue<long>());
    }

    static object Leg(string accountId, long amount, string dc) =>
        new { ledgerAccountId = accountId, netTransactionAmount = new { amount, dcSign = dc } };

    [Fact]
    public async Task Foreign_currency_account_has_its_ledger_balance_in_its_own_currency()
    {
        var created = (await server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "Euro account", bankProvider = "OTHER", currency = "EUR", bankCountry = "DE",
            ledgerAccount = new { code = 120_777 }, iban = "DE89370400440532013000", bic = "DEUTDEFFXXX",
        })).AssertOk();
        var account = created.Id();
        var ledgerAccount = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=code:eq:120777")).AssertOk()["records"]![0]!.Id();
        var equity = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=code:eq:3000")).AssertOk()["records"]![0]!.Id();
        (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2025-06-02", currency = "EUR", localCurrencyFxRateOverride = 1.1m, groupCurrencyFxRateOverride = 1.1m, shouldPost = true,
            lines = new[] { Leg(ledgerAccount, 50_000, "D"), Leg(equity, 50_000, "C") },
        })).AssertOk();

        var balance = await BalanceAsync(account, "2025-06-30");
        Assert.Equal("EUR", balance["currency"]!.GetValue<string>());
        Assert.Equal(50_000, balance["ledgerBalance"]!.GetValue<long>()); // EUR 500.00, not USD 550.00
    }
}
