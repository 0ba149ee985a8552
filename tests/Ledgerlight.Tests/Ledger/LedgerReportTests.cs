using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class LedgerReportTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly LedgerTestKit _kit = new(server.Admin);

    [Fact]
    public async Task Statements_tie_out()
    {
        // Capital in, a sale on credit, an expense paid, part of the receivable collected.
        await _kit.Post("2026-01-02", LedgerTestKit.Line(await _kit.Account(1200), 1_000_000, "D"), LedgerTestKit.Line(await _kit.Account(3000), 1_000_000, "C"));
        await _kit.Post("2026-01-10", LedgerTestKit.Line(await _kit.Account(1400), 238_000, "D"),
            LedgerTestKit.Line(await _kit.Account(4000), 200_000, "C"), LedgerTestKit.Line(await _kit.Account(2100), 38_000, "C"));
        await _kit.Post("2026-01-15", LedgerTestKit.Line(await _kit.Account(6100), 50_000, "D"), LedgerTestKit.Line(await _kit.Account(1200), 50_000, "C"));
        await _kit.Post("2026-02-01", LedgerTestKit.Line(await _kit.Account(1200), 100_000, "D"), LedgerTestKit.Line(await _kit.Account(1400), 100_000, "C"));

        var tb = await _kit.TrialBalance("2026-12-31");
        Assert.Equal(0, tb["difference"]!.GetValue<long>());
        Assert.Equal(tb["totalDebit"]!.GetValue<long>(), tb["totalCredit"]!.GetValue<long>());
        Assert.Equal(1_050_000, await _kit.Balance(1200, "2026-12-31"));
        Assert.Equal(950_000, await _kit.Balance(1200, "2026-01-31")); // as of a date: later postings excluded

        var bs = (await server.Admin.GetAsync("/v1/reports/balance-sheet?asOf=2026-12-31")).AssertOk();
        Assert.True(bs["balanced"]!.GetValue<bool>());
        Assert.Equal(1_050_000 + 138_000, bs["assets"]!["total"]!.GetValue<long>());
        Assert.Equal(38_000, bs["liabilities"]!["total"]!.GetValue<long>());
        Assert.Equal(1_000_000, bs["equity"]!["total"]!.GetValue<long>());
        Assert.Equal(150_000, bs["currentResult"]!.GetValue<long>());
        Assert.Equal(bs["assets"]!["total"]!.GetValue<long>(), bs["totalLiabilitiesAndEquity"]!.GetValue<long>());

        var pnl = (await server.Admin.GetAsync("/v1/reports/profit-and-loss?from=2026-01-01&to=2026-01-31")).AssertOk();
        Assert.Equal(200_000, pnl["income"]!["total"]!.GetValue<long>());
        Assert.Equal(50_000, pnl["expenses"]!["total"]!.GetValue<long>());
        Assert.Equal(150_000, pnl["netResult"]!.GetValue<long>());
        var february = (await server.Admin.GetAsync("/v1/reports/profit-and-loss?from=2026-02-01&to=2026-02-28")).AssertOk();
        Assert.Equal(0, february["netResult"]!.GetValue<long>());
    }

    [Fact]
    public async Task Report_parameters_are_checked()
    {
        (await server.Admin.GetAsync("/v1/reports/trial-balance?asOf=31.12.2026")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync($"/v1/reports/trial-balance?companyEntityId={Guid.NewGuid()}")).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync("/v1/reports/profit-and-loss?from=2026-03-01&to=2026-02-01")).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.GetAsync("/v1/reports/balance-sheet")).AssertOk();
    }
}

public class PeriodCloseTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly LedgerTestKit _kit = new(server.Admin);

    [Fact]
    public async Task Closed_period_refuses_postings_and_reversals_land_in_the_next_open_day()
    {
        var entry = await _kit.Post("2026-03-20", LedgerTestKit.Line(await _kit.Account(6300), 4_000, "D"), LedgerTestKit.Line(await _kit.Account(1200), 4_000, "C"));
        var lockResponse = (await server.Admin.PutAsync($"/v1/ledger/period-locks/{server.Company.EntityId}", new { lockedThrough = "2026-03-31" })).AssertOk();
        Assert.Equal("2026-03-31", lockResponse["lockedThrough"]!.GetValue<string>());
        (await server.Viewer.PutAsync($"/v1/ledger/period-locks/{server.Company.EntityId}", new { lockedThrough = "2026-04-30" })).AssertError(403, "FORBIDDEN");

        var refused = await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-03-31", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6300), 1, "D"), LedgerTestKit.Line(await _kit.Account(1200), 1, "C") },
        });
        Assert.Equal("postingDate", refused.AssertError(422, "UNPROCESSABLE_CONTENT")["errors"]![0]!["path"]![0]!.GetValue<string>());
        await _kit.Post("2026-04-01", LedgerTestKit.Line(await _kit.Account(6300), 1, "D"), LedgerTestKit.Line(await _kit.Account(1200), 1, "C"));

        (await server.Admin.PostAsync($"/v1/journal-entries/{entry["id"]}/archive")).AssertOk();
        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}&sort=postingDate:asc")).AssertOk()["records"]!.AsArray();
        Assert.Equal(["2026-03-20", "2026-03-20", "2026-04-01", "2026-04-01"], lines.Select(l => l!["postingDate"]!.GetValue<string>()));
        // March stays as it was closed; the correction shows in April.
        Assert.Equal(-4_000, await _kit.Balance(1200, "2026-03-31"));
        Assert.Equal(-1, await _kit.Balance(1200, "2026-04-30"));

        (await server.Admin.PutAsync($"/v1/ledger/period-locks/{server.Company.EntityId}", new { lockedThrough = (string?)null })).AssertOk();
        await _kit.Post("2026-03-31", LedgerTestKit.Line(await _kit.Account(6300), 2, "D"), LedgerTestKit.Line(await _kit.Account(1200), 2, "C"));
    }
}

public class ForeignCurrencyTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly LedgerTestKit _kit = new(server.Admin);

    [Fact]
    public async Task Foreign_entry_posts_in_document_and_company_currency()
    {
        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-05-05", currency = "EUR", localCurrencyFxRateOverride = 1.0850m, groupCurrencyFxRateOverride = 1.0850m, shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6500), 333_33, "D"), LedgerTestKit.Line(await _kit.Account(2000), 333_33, "C") },
        })).AssertOk();
        Assert.Equal(1.0850m, entry["localCurrencyFxRate"]!.GetValue<decimal>());
        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}")).AssertOk()["records"]!.AsArray();
        var expense = lines.Single(l => l!["accountCode"]!.GetValue<int>() == 6500)!["amounts"]!;
        Assert.Equal("EUR", expense["transactionCurrency"]!.GetValue<string>());
        Assert.Equal(33_333, expense["transactionAmount"]!.GetValue<long>());
        Assert.Equal("USD", expense["localCurrency"]!.GetValue<string>());
        Assert.Equal(36_166, expense["localAmount"]!.GetValue<long>()); // 333.33 EUR x 1.085 = 361.663 USD -> 361.66
        Assert.Equal(0, lines.Sum(l => l!["amounts"]!["signedLocalAmount"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Without_an_override_the_ecb_rate_of_the_posting_date_is_used()
    {
        // The bundled ECB data has EUR/USD 1.1419 on Monday 2025-06-02; a Saturday posting uses Friday's rate.
        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2025-06-02", currency = "EUR", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6500), 10_000, "D"), LedgerTestKit.Line(await _kit.Account(2000), 10_000, "C") },
        })).AssertOk();
        Assert.Equal(1.1419m, entry["localCurrencyFxRate"]!.GetValue<decimal>());
        var line = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}")).AssertOk()["records"]![0]!["amounts"]!;
        Assert.Equal(11_419, line["localAmount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Zero_decimal_currency_converts_by_its_own_exponent()
    {
        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-05-06", currency = "JPY", localCurrencyFxRateOverride = 0.0067m, groupCurrencyFxRateOverride = 0.0067m, shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6300), 15_000, "D"), LedgerTestKit.Line(await _kit.Account(1200), 15_000, "C") },
        })).AssertOk();
        var line = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}")).AssertOk()["records"]![0]!["amounts"]!;
        Assert.Equal(15_000m, line["transactionAmountInMajors"]!.GetValue<decimal>()); // 15,000 yen, no minor unit
        Assert.Equal(10_050, line["localAmount"]!.GetValue<long>()); // 15,000 x 0.0067 = 100.50 USD
    }

    [Fact]
    public async Task Missing_rate_is_422_and_nothing_posts()
    {
        var response = await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "1990-01-02", currency = "CHF", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6300), 100, "D"), LedgerTestKit.Line(await _kit.Account(1200), 100, "C") },
        });
        response.AssertError(422, "UNPROCESSABLE_CONTENT");
    }
}
