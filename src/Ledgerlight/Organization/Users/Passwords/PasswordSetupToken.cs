using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.Organization.Users;

/// <summary>
/// The secret in a set-password link: 32 random bytes, base64url. Only its SHA-256 is stored (the
/// token carries 256 bits of randomness, so a fast hash suffices, as for API keys); a link works
/// once, and for <see cref="Lifetime"/> after it was issued.
/// </summary>
public static class PasswordSetupToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Base64Url(random);
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A token's shape: 43 base64url characters. Anything else is refused before touching the database.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static DateTime ExpiresAt(DateTime issuedAt) => issuedAt + Lifetime;

    /// <summary>Usable: never used and not yet expired (an expiry instant is already too late).</summary>
    public static bool IsUsable(DateTime expiresAt, DateTime? usedAt, DateTime now) => usedAt is null && now < expiresAt;

    static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>What a password must be: long enough to resist guessing, short enough to hash cheaply.</summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 200;

    /// <summary>The reason the password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? password, string? confirmation)
    {
        if (string.IsNullOrEmpty(password)) return "Enter a password.";
        if (password.Length < MinLength) return $"The password must be at least {MinLength} characters long.";
        if (password.Length > MaxLength) return $"The password must be at most {MaxLength} characters long.";
        if (password != confirmation) return "The two passwords do not match.";
        return null;
    }
}
