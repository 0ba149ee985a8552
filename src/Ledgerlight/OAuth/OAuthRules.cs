using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.OAuth;

/// <summary>An RFC 6749 §5.2 error: the code (invalid_grant...) and a human description.</summary>
/// <param name="MissingParameter">The absent required parameter, for Light's envelope (type MISSING_PARAMETER naming it).</param>
public sealed record OAuthError(string Error, string Description, string? MissingParameter = null)
{
    /// <summary>invalid_client is 401 (the client failed to authenticate); every other error 400.</summary>
    public int Status => Error == OAuthErrors.InvalidClient ? 401 : 400;

    /// <summary>RFC 6749's invalid_request, worded and typed as Light words a missing parameter.</summary>
    public static OAuthError Missing(string parameter) =>
        new(OAuthErrors.InvalidRequest, $"Missing parameter '{parameter}'", parameter);
}

public static class OAuthErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string AccessDenied = "access_denied";
}

/// <summary>Random secrets of the flow and their stored form (SHA-256). The plain values exist only on the wire.</summary>
public static class OAuthSecrets
{
    public const string ClientSecretPrefix = "llcs_";
    public const string CodePrefix = "llac_";
    public const string AccessTokenPrefix = "llat_";
    public const string RefreshTokenPrefix = "llrt_";
    public const string SessionPrefix = "llss_";

    public static string Generate(string prefix)
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return prefix + Base64Url(random);
    }

    public static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Compares two secrets in time independent of where they differ.</summary>
    public static bool FixedTimeEquals(string? a, string? b) =>
        a is not null && b is not null &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

/// <summary>The flow's rules as pure functions over records: no database, no HTTP.</summary>
public static class OAuthRules
{
    public const int MaxRedirectUris = 10;
    public const int MaxUriLength = 2048;
    public const int MaxStateLength = 1024;

    /// <summary>RFC 6749 §3.1.2.3 with no leeway: one of the registered URIs, character for character.</summary>
    public static bool RedirectMatches(IReadOnlyList<string> registered, string? requested) =>
        requested is not null && registered.Any(r => string.Equals(r, requested, StringComparison.Ordinal));

    /// <summary>
    /// The redirect URI of an authorize request: the requested one if registered; with none requested,
    /// the client's only one (RFC 6749 §3.1.2.3); otherwise none (an error page, never a redirect).
    /// </summary>
    public static string? ResolveRedirect(IReadOnlyList<string> registered, string? requested) =>
        string.IsNullOrEmpty(requested) ? (registered.Count == 1 ? registered[0] : null)
        : RedirectMatches(registered, requested) ? requested : null;

    /// <summary>A URI a client may register: absolute, http(s) or a private scheme, no fragment (RFC 6749 §3.1.2).</summary>
    public static string? RedirectUriProblem(string uri)
    {
        if (uri.Length is 0 or > MaxUriLength) return $"redirect URI must be 1 to {MaxUriLength} characters";
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return $"redirect URI '{uri}' is not an absolute URI";
        if (parsed.Fragment.Length > 0 || uri.Contains('#')) return $"redirect URI '{uri}' must not contain a fragment";
        if (parsed.Scheme is "javascript" or "data" or "file" or "vbscript") return $"redirect URI scheme '{parsed.Scheme}' is not allowed";
        return null;
    }

    /// <summary>RFC 7636: S256 only ("plain" would let a stolen code be redeemed with the challenge itself).</summary>
    public static string? ChallengeProblem(string? challenge, string? method, bool isPublicClient)
    {
        if (string.IsNullOrEmpty(challenge))
            return isPublicClient ? "PKCE is required for this client: send code_challenge and code_challenge_method=S256" : null;
        if (method != "S256") return "code_challenge_method must be S256";
        if (challenge.Length != 43 || !challenge.All(IsUnreserved)) return "code_challenge must be the 43-character base64url SHA-256 of the verifier";
        return null;
    }

    /// <summary>RFC 7636 §4.6: BASE64URL(SHA256(verifier)) equals the challenge; the verifier is 43-128 unreserved characters.</summary>
    public static bool PkceVerifies(string challenge, string? verifier)
    {
        if (verifier is null || verifier.Length is < 43 or > 128 || !verifier.All(IsUnreserved)) return false;
        var computed = OAuthSecrets.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    static bool IsUnreserved(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.' or '_' or '~';

    /// <summary>Why an authorization code cannot be exchanged, or null when it can (RFC 6749 §4.1.3, RFC 7636).</summary>
    public static OAuthError? CheckCode(CodeRecord? code, Guid clientId, string? redirectUri, string? verifier, DateTime now)
    {
        if (code is null) return new(OAuthErrors.InvalidGrant, "The authorization code is unknown");
        if (code.ClientId != clientId) return new(OAuthErrors.InvalidGrant, "The authorization code was issued to another client");
        if (code.UsedAt is not null) return new(OAuthErrors.InvalidGrant, "The authorization code was already used");
        if (code.ExpiresAt <= now) return new(OAuthErrors.InvalidGrant, "The authorization code has expired");
        if (!string.Equals(code.RedirectUri, redirectUri, StringComparison.Ordinal))
            return new(OAuthErrors.InvalidGrant, "redirect_uri does not match the one the code was issued for");
        if (code.CodeChallenge is { } challenge && !PkceVerifies(challenge, verifier))
            return new(OAuthErrors.InvalidGrant, "code_verifier does not match the code_challenge");
        if (code.CodeChallenge is null && verifier is not null)
            return new(OAuthErrors.InvalidGrant, "code_verifier sent for a code issued without code_challenge");
        return null;
    }

    /// <summary>
    /// Why a refresh token cannot be used, or null. <see cref="RefreshVerdict.Reuse"/> is a token that was
    /// already rotated: RFC 6819 §5.2.2.3 — someone holds a copy, so the whole grant is revoked.
    /// </summary>
    public static (RefreshVerdict Verdict, OAuthError? Error) CheckRefresh(RefreshRecord? token, Guid clientId, DateTime now)
    {
        if (token is null) return (RefreshVerdict.Refuse, new(OAuthErrors.InvalidGrant, "The refresh token is unknown"));
        if (token.ClientId != clientId) return (RefreshVerdict.Refuse, new(OAuthErrors.InvalidGrant, "The refresh token was issued to another client"));
        if (token.GrantRevokedAt is not null) return (RefreshVerdict.Refuse, new(OAuthErrors.InvalidGrant, "The grant was revoked"));
        if (token.UsedAt is not null)
            return (RefreshVerdict.Reuse, new(OAuthErrors.InvalidGrant, "The refresh token was already used; the grant is revoked"));
        if (token.ExpiresAt <= now) return (RefreshVerdict.Refuse, new(OAuthErrors.InvalidGrant, "The refresh token has expired"));
        if (token.UserStatus != Organization.Users.UserRules.Active)
            return (RefreshVerdict.Refuse, new(OAuthErrors.InvalidGrant, "The user of this grant is deactivated"));
        return (RefreshVerdict.Rotate, null);
    }

    /// <summary>
    /// The API role a user's token acts with, from the user's Light roles: the most capable one wins.
    /// Light's user roles are finer than the API roles; each maps to the API role whose rights it needs.
    /// </summary>
    public static string ApiRole(IReadOnlyCollection<string> userRoles)
    {
        if (userRoles.Contains("SUPERUSER") || userRoles.Contains("COMPANY_ADMIN")) return Roles.Admin;
        if (userRoles.Contains("CONTROLLER")) return Roles.Accountant;
        if (userRoles.Contains("AP_CLERK") || userRoles.Contains("AP_PREPARATION") || userRoles.Contains("VENDOR_MANAGEMENT")) return Roles.ApClerk;
        if (userRoles.Contains("AR_CLERK")) return Roles.ArClerk;
        if (userRoles.Contains("INVOICE_APPROVER")) return Roles.Approver;
        return Roles.Viewer;
    }

    /// <summary>What a role lets a client do, in words for the consent screen.</summary>
    public static IReadOnlyList<string> Describe(string role) => role switch
    {
        Roles.Admin => ["Read all of your company's data", "Create and change records in every area, including users and settings"],
        Roles.Accountant => ["Read all of your company's data", "Post journal entries and manage banking, vendors and customers"],
        Roles.ApClerk => ["Read all of your company's data", "Create and change vendors, bills, purchase orders and credit notes"],
        Roles.ArClerk => ["Read all of your company's data", "Create and change customers, products, contracts and sales invoices"],
        Roles.Approver => ["Read all of your company's data", "Approve or decline bills"],
        _ => ["Read all of your company's data", "Nothing else: it cannot change anything"],
    };

    /// <summary>Appends query parameters to a redirect URI that may already carry its own query.</summary>
    public static string AppendQuery(string uri, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var query = string.Join("&", parameters.Where(p => p.Value is not null)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
        if (query.Length == 0) return uri;
        return uri + (uri.Contains('?') ? (uri.EndsWith('?') || uri.EndsWith('&') ? "" : "&") : "?") + query;
    }
}

public enum RefreshVerdict { Rotate, Refuse, Reuse }

/// <summary>An authorization code as stored.</summary>
public sealed record CodeRecord(Guid CompanyId, Guid ClientId, Guid UserId, string RedirectUri, string? CodeChallenge, DateTime ExpiresAt, DateTime? UsedAt, Guid? GrantId);

/// <summary>A refresh token with what deciding on it needs: its grant's client, revocation, and user status.</summary>
public sealed record RefreshRecord(Guid CompanyId, Guid GrantId, Guid ClientId, DateTime ExpiresAt, DateTime? UsedAt, DateTime? GrantRevokedAt, string UserStatus);
