using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.OAuth;

/// <summary>client_id and client_secret as a token-endpoint request carried them.</summary>
public sealed record ClientCredentials(string? ClientId, string? ClientSecret, bool ViaBasic);

/// <summary>
/// RFC 6749 §2.3.1: a client authenticates with HTTP Basic (client_secret_basic: the id and secret
/// form-encoded, then base64) or with client_id and client_secret in the form (client_secret_post, the
/// seed's curl). Using both at once is refused (§2.3: one method per request).
/// </summary>
public static class ClientAuthentication
{
    public static (ClientCredentials? Credentials, OAuthError? Error) Read(string? authorization, string? formClientId, string? formSecret)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            return string.IsNullOrEmpty(formClientId)
                ? (null, new OAuthError(OAuthErrors.InvalidClient, "Client authentication is required: send client_id and client_secret"))
                : (new ClientCredentials(formClientId, string.IsNullOrEmpty(formSecret) ? null : formSecret, false), null);

        var space = authorization.IndexOf(' ');
        if (space <= 0 || !authorization[..space].Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return (null, new OAuthError(OAuthErrors.InvalidClient, "Only HTTP Basic client authentication is supported in the Authorization header"));
        if (!string.IsNullOrEmpty(formSecret))
            return (null, new OAuthError(OAuthErrors.InvalidRequest, "Use one client authentication method: the Authorization header or client_secret, not both"));
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[(space + 1)..].Trim())); }
        catch (FormatException) { return (null, new OAuthError(OAuthErrors.InvalidClient, "Malformed Basic credentials")); }
        var colon = decoded.IndexOf(':');
        if (colon <= 0) return (null, new OAuthError(OAuthErrors.InvalidClient, "Malformed Basic credentials"));
        var id = WebUtility.UrlDecode(decoded[..colon]);
        var secret = WebUtility.UrlDecode(decoded[(colon + 1)..]);
        if (!string.IsNullOrEmpty(formClientId) && formClientId != id)
            return (null, new OAuthError(OAuthErrors.InvalidRequest, "client_id in the form differs from the one in the Authorization header"));
        return (new ClientCredentials(id, secret.Length == 0 ? null : secret, true), null);
    }

    /// <summary>Why the client is not authenticated, or null. A public client proves itself with PKCE instead of a secret.</summary>
    public static OAuthError? Check(OAuthClient? client, string? secret)
    {
        var failed = new OAuthError(OAuthErrors.InvalidClient, "Client authentication failed");
        if (client is null || !client.IsActive) return failed;
        if (client.IsPublic) return null;
        if (secret is null || client.SecretHash is null) return failed;
        return CryptographicOperations.FixedTimeEquals(OAuthSecrets.Hash(secret), client.SecretHash) ? null : failed;
    }
}
