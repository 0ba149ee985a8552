namespace Ledgerlight.Platform;

/// <summary>
/// Money arithmetic on int64 minor units. Written once: conversions scale by each currency's own
/// minor-unit exponent (JPY 0, USD 2, KWD 3) and round half away from zero.
/// </summary>
public static class Money
{
    /// <summary>Converts minor units of <paramref name="from"/> into minor units of <paramref name="to"/> at rate (to per from).</summary>
    /// A result beyond int64 (a large amount at a large rate: 10^15 USD cents into IDR is 1.6·10^19) is a 422, never a wrap or a 500.
    public static long Convert(long amountMinor, string from, string to, decimal rate)
    {
        if (from == to && rate == 1m) return amountMinor;
        try
        {
            var major = amountMinor / Pow10(CurrencyCodes.Exponent(from));
            var converted = decimal.Round(major * rate * Pow10(CurrencyCodes.Exponent(to)), 0, MidpointRounding.AwayFromZero);
            return checked((long)converted);
        }
        catch (OverflowException)
        {
            throw ApiException.Unprocessable(
                $"{amountMinor} {from} minor units at rate {rate} is too large to convert into {to} (beyond int64 minor units)");
        }
    }

    /// <summary>Minor units as a decimal number of major units (for the *InMajors fields).</summary>
    public static decimal ToMajors(long amountMinor, string currency) => amountMinor / Pow10(CurrencyCodes.Exponent(currency));

    static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++) result *= 10m;
        return result;
    }
}
