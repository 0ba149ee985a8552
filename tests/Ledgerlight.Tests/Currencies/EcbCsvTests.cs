using Ledgerlight.Currencies;
using Xunit;

namespace Ledgerlight.Tests.Currencies;

public class EcbCsvTests
{
    [Fact]
    public void History_layout_with_trailing_commas_NA_and_legacy_columns()
    {
        var parsed = EcbCsv.Parse("""
            Date,USD,JPY,CYP,BGN,
            2026-01-02,1.1721,183.94,N/A,N/A,
            2025-12-31,1.175,184.09,N/A,1.9558,
            """);

        Assert.Equal(["CYP"], parsed.SkippedColumns); // retired in 2008, not an ISO 4217 code in use
        Assert.Equal(3, parsed.NotAvailable);
        Assert.Equal(5, parsed.Rates.Count);
        Assert.Contains(new EcbRate(new DateOnly(2026, 1, 2), "USD", 1.1721m), parsed.Rates);
        Assert.Contains(new EcbRate(new DateOnly(2025, 12, 31), "BGN", 1.9558m), parsed.Rates);
        Assert.DoesNotContain(parsed.Rates, r => r.Currency == "BGN" && r.Date == new DateOnly(2026, 1, 2));
        Assert.Equal(2, parsed.Days);
        Assert.Equal(new DateOnly(2025, 12, 31), parsed.From);
        Assert.Equal(new DateOnly(2026, 1, 2), parsed.To);
    }

    [Fact]
    public void Single_day_layout_with_spaces_and_a_spelled_out_date()
    {
        var parsed = EcbCsv.Parse("Date, USD, JPY, \r\n05 March 2026, 1.1618, 183.03, \r\n");
        Assert.Equal([new EcbRate(new DateOnly(2026, 3, 5), "USD", 1.1618m), new EcbRate(new DateOnly(2026, 3, 5), "JPY", 183.03m)],
            parsed.Rates);
    }

    [Fact]
    public void Without_trailing_comma_and_with_a_byte_order_mark_and_blank_lines()
    {
        var parsed = EcbCsv.Parse("\uFEFFDate,USD\n\n2026-03-05,1.1618\n\n");
        Assert.Equal([new EcbRate(new DateOnly(2026, 3, 5), "USD", 1.1618m)], parsed.Rates);
        Assert.Empty(parsed.SkippedColumns);
    }

    [Fact]
    public void Quoted_cells_are_read_as_csv_and_broken_quoting_names_its_line()
    {
        var parsed = EcbCsv.Parse("Date,\"USD\",JPY\n\"2026-03-05\", \"1.1618\" ,183.03\n");
        Assert.Equal([new EcbRate(new DateOnly(2026, 3, 5), "USD", 1.1618m), new EcbRate(new DateOnly(2026, 3, 5), "JPY", 183.03m)], parsed.Rates);
        var e = Assert.Throws<EcbCsvException>(() => EcbCsv.Parse("Date,USD\n2026-03-05,1.1\n2026-03-06,1.2\"x\"y\n"));
        Assert.StartsWith("line 3", e.Message);
    }

    [Fact]
    public void The_bundled_file_parses_and_covers_the_documented_range()
    {
        var parsed = EcbCsvLoader.ParseBundled();
        Assert.Equal(new DateOnly(2025, 4, 1), parsed.From);
        Assert.Equal(new DateOnly(2026, 3, 5), parsed.To);
        Assert.Equal(237, parsed.Days);
        Assert.Equal(30, parsed.Rates.Select(r => r.Currency).Distinct().Count());
        Assert.Equal(["CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "HRK", "TRL"], parsed.SkippedColumns);
    }

    [Theory]
    [InlineData("Date,USD,\n2026-03-05,1.16a8,\n", "line 2, column USD: '1.16a8' is not a number")]
    [InlineData("Date,USD,\n2026-03-05,-1.1,\n", "line 2, column USD: '-1.1' is not a number")]
    [InlineData("Date,USD,\n2026-03-05,1e3,\n", "line 2, column USD: '1e3' is not a number")]
    [InlineData("Date,USD,\n2026-03-05,0,\n", "line 2, column USD: a rate must be greater than zero")]
    [InlineData("Date,USD,\n2026-03-05,1.1,\n05/03/2026,1.2,\n", "line 3: '05/03/2026' is not a date (expected YYYY-MM-DD)")]
    [InlineData("Date,USD,JPY,\n2026-03-05,1.1,\n", "line 2: 2 values for 3 columns")]
    [InlineData("Date,USD,\n2026-03-05,1.1,\n2026-03-05,1.2,\n", "line 3: date 2026-03-05 appears twice")]
    [InlineData("Date,USD,USD,\n", "line 1: column USD appears twice")]
    [InlineData("Date,US Dollar,\n", "line 1: column 2 header 'US Dollar' is not a currency code")]
    [InlineData("USD,JPY\n1.1,150\n", "line 1: expected a header starting with 'Date', found 'USD,JPY'")]
    [InlineData("", "the file is empty; expected a header line starting with 'Date'")]
    public void Malformed_files_fail_with_a_message_naming_the_line(string csv, string message)
    {
        var e = Assert.Throws<EcbCsvException>(() => EcbCsv.Parse(csv));
        Assert.Equal(message, e.Message);
    }
}
