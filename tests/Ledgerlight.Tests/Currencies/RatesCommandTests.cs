using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Currencies;

/// <summary>`rates load` run as a user would, then read back over HTTP. Its own database: the load adds rates.</summary>
public class RatesCommandTests(ApiServer server) : IClassFixture<ApiServer>, IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ledgerlight-rates-").FullName;

    string WriteCsv(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Rates_load_puts_a_file_in_the_database_and_the_api_serves_it()
    {
        // Dates after the bundled data, so the answers can only come from this file. XAU (gold) has an
        // ISO 4217 code but no minor unit; Ledgerlight does not book it, so its column is skipped.
        var csv = WriteCsv("eurofxref-hist.csv", """
            Date,USD,JPY,XAU,
            2031-01-03,1.2000,150.00,N/A,
            2031-01-02,1.1000,N/A,2000.5,
            """);
        var load = await CliRunner.RunAsync("rates", "load", csv, "--database", server.ConnectionString);
        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Equal("loaded 3 rates (2 currencies, 2 days, 2031-01-02 to 2031-01-03); 3 new or changed", load.Stdout.Trim());
        Assert.Contains("skipped 1 column(s) without an ISO 4217 code in use: XAU", load.Stderr);

        var saturday = (await server.Viewer.GetAsync("/v1/exchange/rates/EUR/USD?date=2031-01-04")).AssertOk();
        Assert.Equal(1.2m, saturday["rate"]!.GetValue<decimal>());
        Assert.Equal("2031-01-03", saturday["effectiveDate"]!.GetValue<string>());
        var cross = (await server.Viewer.GetAsync("/v1/exchange/rates/USD/JPY?date=2031-01-03")).AssertOk();
        Assert.Equal(125m, cross["rate"]!.GetValue<decimal>());

        // The same file again changes nothing; a corrected figure replaces the old one.
        var again = await CliRunner.RunAsync("rates", "load", csv, "--database", server.ConnectionString);
        Assert.EndsWith("; 0 new or changed", again.Stdout.Trim());
        var corrected = WriteCsv("eurofxref.csv", "Date, USD, JPY, \n03 January 2031, 1.2500, 150.00, \n");
        var fix = await CliRunner.RunAsync("rates", "load", corrected, "--database", server.ConnectionString);
        Assert.True(fix.ExitCode == 0, fix.Stderr);
        Assert.EndsWith("; 1 new or changed", fix.Stdout.Trim());
        var after = (await server.Viewer.GetAsync("/v1/exchange/rates/EUR/USD?date=2031-01-03")).AssertOk();
        Assert.Equal(1.25m, after["rate"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_malformed_file_loads_nothing_and_says_where_it_is_wrong()
    {
        var csv = WriteCsv("bad.csv", "Date,USD,\n2032-01-05,1.1,\n2032-01-04,1.1O,\n");
        var load = await CliRunner.RunAsync("rates", "load", csv, "--database", server.ConnectionString);
        Assert.Equal(2, load.ExitCode);
        Assert.Contains("line 3, column USD: '1.1O' is not a number", load.Stderr);
        (await server.Viewer.GetAsync("/v1/exchange/rates/EUR/USD?date=2032-01-05")).AssertOk();
        var json = (await server.Viewer.GetAsync("/v1/exchange/rates/EUR/USD?date=2032-01-05")).Json;
        Assert.NotEqual("2032-01-05", json["effectiveDate"]!.GetValue<string>());

        var missing = await CliRunner.RunAsync("rates", "load", Path.Combine(_dir, "nope.csv"), "--database", server.ConnectionString);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("file not found", missing.Stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
