using Ledgerlight.Currencies;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Currencies;

/// <summary>Money.Convert with rates of the bundled data: each currency's own minor unit, half away from zero.</summary>
public class MoneyConversionTests
{
    // ECB, 2026-03-05: 1 EUR = 1.1618 USD = 183.03 JPY.
    static readonly decimal UsdPerJpy = ExchangeRateStore.Cross(183.03m, 1.1618m);

    [Fact]
    public void Yen_have_no_minor_unit_so_1000_yen_become_dollar_cents()
    {
        // 1000 JPY × 0.006347593291 USD/JPY = 6.347593291 USD = 634.76 cents → 635.
        Assert.Equal(0.006347593291m, UsdPerJpy);
        Assert.Equal(635, Money.Convert(1000, "JPY", "USD", UsdPerJpy));
        // And back: 6.35 USD × 157.5400241005 JPY/USD = 1000.38 JPY → 1000 yen.
        Assert.Equal(1000, Money.Convert(635, "USD", "JPY", ExchangeRateStore.Cross(1.1618m, 183.03m)));
    }

    [Fact]
    public void Dinars_have_three_decimals()
    {
        Assert.Equal(3, CurrencyCodes.Exponent("KWD"));
        Assert.Equal(0, CurrencyCodes.Exponent("JPY"));
        // 12.34 USD × 0.307 KWD/USD = 3.78838 KWD = 3788.38 fils → 3788.
        Assert.Equal(3788, Money.Convert(1234, "USD", "KWD", 0.307m));
        // 1.500 KWD × 500 JPY/KWD = 750 yen.
        Assert.Equal(750, Money.Convert(1500, "KWD", "JPY", 500m));
        // 1 fils × 3.25 USD/KWD = 0.00325 USD = 0.325 cents → 0.
        Assert.Equal(0, Money.Convert(1, "KWD", "USD", 3.25m));
    }

    [Theory]
    [InlineData(1, "JPY", "USD", "0.005", 1)]     // 0.5 cent exactly: up, away from zero
    [InlineData(-1, "JPY", "USD", "0.005", -1)]   // and down for a credit
    [InlineData(1, "USD", "KWD", "0.05", 1)]      // 0.0005 KWD = 0.5 fils
    [InlineData(1, "USD", "KWD", "0.0499", 0)]    // 0.499 fils
    [InlineData(3, "USD", "JPY", "150.5", 5)]     // 4.515 yen
    [InlineData(1, "USD", "JPY", "250", 3)]       // 2.5 yen: 3 (banker's rounding would give 2)
    [InlineData(-1, "USD", "JPY", "250", -3)]
    public void Rounding_is_half_away_from_zero_at_the_edge(long amount, string from, string to, string rate, long expected) =>
        Assert.Equal(expected, Money.Convert(amount, from, to, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Same_currency_at_rate_one_is_the_identity() =>
        Assert.Equal(123_456_789_012, Money.Convert(123_456_789_012, "EUR", "EUR", 1m));

    [Theory]
    [InlineData("1.1618", "183.03", "157.5400241005")]   // USD→JPY
    [InlineData("183.03", "1.1618", "0.006347593291")]    // JPY→USD: 10 significant digits once below 0.1
    [InlineData("19644.7", "0.8695", "0.00004426130203")] // IDR→GBP
    [InlineData("1", "1.1618", "1.1618")]                 // EUR→USD is the published figure itself
    public void Cross_rates_keep_ten_decimals_and_ten_significant_digits(string basePerEur, string targetPerEur, string expected)
    {
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(D(expected), ExchangeRateStore.Cross(D(basePerEur), D(targetPerEur)));
    }
}
