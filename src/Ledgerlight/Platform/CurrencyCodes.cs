namespace Ledgerlight.Platform;

/// <summary>
/// ISO 4217 active currency codes with their minor-unit exponent (the number of decimals a "cent"
/// stands for): JPY has none, KWD has three. Every amount on the wire is in these minor units.
/// </summary>
public static class CurrencyCodes
{
    static readonly Dictionary<string, int> Exponents = Build();

    public static bool IsKnown(string code) => Exponents.ContainsKey(code);

    public static int Exponent(string code) =>
        Exponents.TryGetValue(code, out var e) ? e : throw new ArgumentException($"unknown currency {code}");

    static Dictionary<string, int> Build()
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        const string two = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG";
        const string zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
        const string three = "BHD IQD JOD KWD LYD OMR TND";
        foreach (var c in two.Split(' ')) d[c] = 2;
        foreach (var c in zero.Split(' ')) d[c] = 0;
        foreach (var c in three.Split(' ')) d[c] = 3;
        d["CLF"] = 4;
        d["UYW"] = 4;
        return d;
    }
}
