using System.Security.Cryptography;

namespace Ledgerlight.Spend;

/// <summary>
/// Card numbers of the sandbox issuer. A PAN is made of the issuer's BIN, random digits and the Luhn
/// check digit. Only the BIN and the last four digits leave <see cref="Issue"/>: the full number is
/// neither stored, returned nor logged (the sandbox has no card-details reveal; a real issuer keeps
/// PANs in its own PCI vault and hands back only a token).
/// </summary>
public static class CardNumbers
{
    /// <summary>The sandbox BIN (a Visa-range test prefix no real card network routes to Ledgerlight).</summary>
    public const string SandboxBin = "491761";
    public const int PanLength = 16;

    public sealed record IssuedNumber(string Bin, string LastFour);

    /// <summary>A fresh Luhn-valid PAN under <paramref name="bin"/>; returns only what may be kept.</summary>
    public static IssuedNumber Issue(string bin = SandboxBin)
    {
        var pan = Generate(bin);
        return new IssuedNumber(pan[..bin.Length], pan[^4..]);
    }

    /// <summary>BIN + random digits + check digit, <see cref="PanLength"/> digits in all.</summary>
    public static string Generate(string bin)
    {
        var body = bin + string.Concat(Enumerable.Range(0, PanLength - bin.Length - 1).Select(_ => RandomNumberGenerator.GetInt32(10)));
        return body + CheckDigit(body);
    }

    /// <summary>The Luhn digit that makes <paramref name="body"/> + digit valid.</summary>
    public static int CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            // The check digit will sit to the right, so the rightmost body digit is doubled.
            if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    public static bool IsLuhnValid(string number)
    {
        if (number.Length < 2 || !number.All(char.IsAsciiDigit)) return false;
        return CheckDigit(number[..^1]) == number[^1] - '0';
    }
}
