using System.Text.Json.Nodes;
using Ledgerlight.Currencies;
using Ledgerlight.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Ledgerlight.Tests.Currencies;

/// <summary>getRate and getRates over the bundled ECB data (data/exchange-rates/ecb-eurofxref.csv), loaded at server start.</summary>
public class ExchangeRateApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    static decimal Rate(JsonNode json) => json["rate"]!.GetValue<decimal>();
    static string Text(JsonNode json, string field) => json[field]!.GetValue<string>();

    [Fact]
    public async Task Euro_to_dollar_on_a_publication_day_is_the_published_figure()
    {
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/EUR/USD?date=2026-03-05")).AssertOk();
        Assert.Equal(1.1618m, Rate(json));
        Assert.Equal("EUR", Text(json, "base"));
        Assert.Equal("USD", Text(json, "target"));
        Assert.Equal("2026-03-05", Text(json, "effectiveDate"));
        Assert.Equal("2026-03-05", Text(json, "requestedDate"));

        var back = (await server.Viewer.GetAsync("/v1/exchange/rates/USD/EUR?date=2026-03-05")).AssertOk();
        Assert.Equal(Math.Round(1m / 1.1618m, 10), Rate(back));
    }

    [Fact]
    public async Task Cross_rate_is_the_ratio_of_the_two_euro_rates()
    {
        // 2026-03-05: USD 1.1618, JPY 183.03 per EUR.
        var json = (await server.Admin.GetAsync("/v1/exchange/rates/USD/JPY?date=2026-03-05")).AssertOk();
        Assert.Equal(Math.Round(183.03m / 1.1618m, 10), Rate(json));
        Assert.Equal(157.5400241005m, Rate(json));
        var inverse = (await server.Admin.GetAsync("/v1/exchange/rates/JPY/USD?date=2026-03-05")).AssertOk();
        Assert.Equal(0.006347593291m, Rate(inverse));
    }

    [Theory]
    [InlineData("2026-02-28", "2026-02-27", "1.1805")] // Saturday → Friday
    [InlineData("2026-03-01", "2026-02-27", "1.1805")] // Sunday → Friday
    [InlineData("2025-12-25", "2025-12-24", "1.1787")] // Christmas (TARGET holiday) → the day before
    [InlineData("2025-04-21", "2025-04-17", "1.136")]  // Easter Monday → Maundy Thursday, over Good Friday
    [InlineData("2099-01-01", "2026-03-05", "1.1618")] // after the data ends: the latest publication
    public async Task A_day_without_publication_uses_the_previous_one(string requested, string effective, string usdPerEur)
    {
        var json = (await server.Viewer.GetAsync($"/v1/exchange/rates/EUR/USD?date={requested}")).AssertOk();
        Assert.Equal(effective, Text(json, "effectiveDate"));
        Assert.Equal(requested, Text(json, "requestedDate"));
        Assert.Equal(decimal.Parse(usdPerEur, System.Globalization.CultureInfo.InvariantCulture), Rate(json));
    }

    [Fact]
    public async Task Without_a_date_the_rate_is_for_today_utc()
    {
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/GBP/CHF")).AssertOk();
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), Text(json, "requestedDate"));
        Assert.True(DateOnly.Parse(Text(json, "effectiveDate")) <= DateOnly.Parse(Text(json, "requestedDate")));
    }

    [Fact]
    public async Task Same_currency_is_one()
    {
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/SEK/SEK?date=2025-06-01")).AssertOk();
        Assert.Equal(1m, Rate(json));
        Assert.Equal("2025-06-01", Text(json, "effectiveDate"));
    }

    [Fact]
    public async Task A_currency_that_left_the_data_keeps_its_last_rate_with_that_date()
    {
        // The ECB stopped quoting BGN when Bulgaria adopted the euro on 2026-01-01.
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/EUR/BGN?date=2026-02-02")).AssertOk();
        Assert.Equal(1.9558m, Rate(json));
        Assert.Equal("2025-12-31", Text(json, "effectiveDate"));
    }

    [Fact]
    public async Task All_rates_from_a_base_on_one_publication_include_the_euro()
    {
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/USD?date=2026-03-07")).AssertOk();
        var rates = json.AsArray().Select(r => r!).ToList();
        // 2026-03-05 (the Thursday before): 29 currencies published, USD among them; plus EUR.
        Assert.Equal(29, rates.Count);
        Assert.All(rates, r =>
        {
            Assert.Equal("USD", Text(r, "base"));
            Assert.Equal("2026-03-05", Text(r, "effectiveDate"));
            Assert.Equal("2026-03-07", Text(r, "requestedDate"));
        });
        var targets = rates.Select(r => Text(r, "target")).ToList();
        Assert.Equal(targets.Order(StringComparer.Ordinal), targets);
        Assert.DoesNotContain("USD", targets);
        Assert.DoesNotContain("BGN", targets);
        Assert.Equal(Math.Round(1m / 1.1618m, 10), Rate(rates.Single(r => Text(r, "target") == "EUR")));
        Assert.Equal(157.5400241005m, Rate(rates.Single(r => Text(r, "target") == "JPY")));
    }

    [Fact]
    public async Task All_rates_from_the_euro_are_the_published_figures()
    {
        var rates = (await server.Viewer.GetAsync("/v1/exchange/rates/EUR?date=2025-12-31")).AssertOk().AsArray();
        Assert.Equal(30, rates.Count);
        Assert.Equal(1.9558m, Rate(rates.Single(r => Text(r!, "target") == "BGN")!));
        Assert.Equal(19640.83m, Rate(rates.Single(r => Text(r!, "target") == "IDR")!));
        Assert.DoesNotContain(rates, r => Text(r!, "target") == "EUR");
    }

    [Theory]
    [InlineData("/v1/exchange/rates/XYZ/USD", "base")]
    [InlineData("/v1/exchange/rates/USD/usd", "target")]
    [InlineData("/v1/exchange/rates/USD/JPY?date=2026-13-01", "date")]
    [InlineData("/v1/exchange/rates/USD/JPY?date=yesterday", "date")]
    [InlineData("/v1/exchange/rates/DOLLARS", "currency")]
    [InlineData("/v1/exchange/rates/USD?date=05.03.2026", "date")]
    public async Task Bad_parameters_are_a_400_naming_the_parameter(string path, string parameter)
    {
        var json = (await server.Viewer.GetAsync(path)).AssertError(400, "BAD_REQUEST");
        var error = Assert.Single(json["errors"]!.AsArray());
        Assert.Equal([parameter], error!["path"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task Every_bad_parameter_is_reported_at_once()
    {
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/ABC/DEF?date=x")).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["base", "target", "date"], json["errors"]!.AsArray().Select(e => e!["path"]![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task Before_the_data_starts_or_for_a_currency_it_lacks_is_a_404()
    {
        var early = (await server.Viewer.GetAsync("/v1/exchange/rates/USD/JPY?date=2025-03-31")).AssertError(404, "NOT_FOUND");
        Assert.Equal("No exchange rate from USD to JPY on or before 2025-03-31: the reference rates start on 2025-04-01",
            Text(early, "message"));
        (await server.Viewer.GetAsync("/v1/exchange/rates/EUR?date=2025-03-31")).AssertError(404, "NOT_FOUND");

        var missing = (await server.Viewer.GetAsync("/v1/exchange/rates/USD/AED?date=2026-03-05")).AssertError(404, "NOT_FOUND");
        Assert.Equal("No exchange rates for AED: the reference rates (ECB) do not include it", Text(missing, "message"));
        (await server.Viewer.GetAsync("/v1/exchange/rates/KWD")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Rates_need_a_key() =>
        (await server.Anonymous.GetAsync("/v1/exchange/rates/EUR/USD")).AssertError(401, "UNAUTHORIZED");

    [Fact]
    public async Task Restarting_on_a_database_with_rates_loads_nothing_again()
    {
        // A corrected rate in the database survives a restart: the bundled file only seeds an empty table.
        await using (var cmd = server.Db.CreateCommand(
                         "UPDATE exchange_rates SET per_eur = 1.5, source = 'test' WHERE currency = 'USD' AND rate_date = '2025-06-02'"))
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        Assert.Null(await EcbCsvLoader.LoadBundledIfEmptyAsync(server.Db));
        await using (var check = server.Db.CreateCommand(
                         "SELECT per_eur FROM exchange_rates WHERE currency = 'USD' AND rate_date = '2025-06-02'"))
            Assert.Equal(1.5m, (decimal)(await check.ExecuteScalarAsync())!);
        await using (var restore = server.Db.CreateCommand(
                         "UPDATE exchange_rates SET per_eur = 1.1419, source = 'ECB' WHERE currency = 'USD' AND rate_date = '2025-06-02'"))
            await restore.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Reloading_the_bundled_rates_changes_nothing()
    {
        var bundled = EcbCsvLoader.ParseBundled();
        Assert.Equal(0, await EcbCsvLoader.UpsertAsync(server.Db, bundled.Rates.Where(r => r.Date < new DateOnly(2025, 6, 1)).ToList()));
        await using var count = server.Db.CreateCommand("SELECT count(*) FROM exchange_rates");
        Assert.Equal(bundled.Rates.Count, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_pair_lookup_walks_the_primary_key()
    {
        // A text-typed parameter would compare currency::text and lose the index (char(3) column).
        await using var conn = await server.Db.OpenConnectionAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE exchange_rates", conn)) await analyze.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("""
            EXPLAIN SELECT b.rate_date, b.per_eur, t.per_eur
              FROM exchange_rates b JOIN exchange_rates t ON t.currency = $3 AND t.rate_date = b.rate_date
             WHERE b.currency = $1 AND b.rate_date <= $2 ORDER BY b.rate_date DESC LIMIT 1
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = "USD", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char });
        cmd.Parameters.Add(new NpgsqlParameter { Value = new DateOnly(2026, 1, 1), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = "JPY", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char });
        var plan = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan"));
    }
}
