using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.Platform.Auth;

/// <summary>Generation and hashing of API keys. The plain key exists only in the creation response.</summary>
public static class ApiKeyFormat
{
    public const string Prefix = "ll_";

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', 'A').Replace('/', 'B');
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Shown in listings so an operator can tell keys apart without seeing them.</summary>
    public static string DisplayPrefix(string key) => key[..Math.Min(key.Length, 10)];

    /// <summary>
    /// Extracts the key from "Basic &lt;key&gt;" (Light's documented form) or "Basic base64(&lt;key&gt;:)"
    /// (RFC 7617, what most HTTP clients send).
    /// </summary>
    public static string? FromBasic(string credentials)
    {
        credentials = credentials.Trim();
        if (credentials.StartsWith(Prefix, StringComparison.Ordinal)) return credentials;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials));
            var colon = decoded.IndexOf(':');
            var user = colon >= 0 ? decoded[..colon] : decoded;
            return user.Length > 0 ? user : null;
        }
        catch (FormatException)
        {
            return credentials.Length > 0 ? credentials : null;
        }
    }
}
