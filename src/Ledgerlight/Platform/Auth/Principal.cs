namespace Ledgerlight.Platform.Auth;

public enum CredentialKind { ApiKey, OAuthToken }

/// <summary>
/// Who is calling: the company the credential belongs to, the credential itself and its role.
/// Every store method takes the company id from here, never from the request.
/// </summary>
public sealed record Principal(Guid CompanyId, Guid CredentialId, CredentialKind Kind, string Role, Guid? UserId, string Name)
{
    /// <summary>
    /// Rate-limit counts already bumped while resolving the credential (one round trip for both);
    /// null when the resolver did not count, and the rate limiter takes the request from its leased
    /// quota (the usual case: leave it null; ApiKeyResolver does).
    /// </summary>
    public RateLimitCount? Counted { get; init; }

    /// <summary>When the credential stops working by itself (an OAuth access token); a cached principal is not used past it.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>Who a write is recorded as (created_by, updated_by, a ledger entry's creator): the user, else the API credential acting alone.</summary>
    public Guid ActorId() => UserId ?? CredentialId;

    /// <summary>Rate-limit bucket of this credential: limits apply per key or per token.</summary>
    public string CredentialBucket => $"cred:{CredentialId}";

    /// <summary>Rate-limit bucket of the company's daily budget, shared by all its credentials.</summary>
    public string CompanyBucket => $"company:{CompanyId}";
}

public static class PrincipalAccess
{
    const string Key = "ledgerlight.principal";

    public static void SetPrincipal(this HttpContext ctx, Principal principal) => ctx.Items[Key] = principal;

    public static Principal? FindPrincipal(this HttpContext ctx) => ctx.Items.TryGetValue(Key, out var p) ? p as Principal : null;

    /// <summary>The caller; endpoints under /v1 never run without one.</summary>
    public static Principal Principal(this HttpContext ctx) =>
        ctx.FindPrincipal() ?? throw ApiException.Unauthorized();
}

/// <summary>The counters of this request's windows after counting it.</summary>
public sealed record RateLimitCount(int Minute, int Day, DateTime MinuteWindow, DateTime DayWindow);

public static class RateLimitWindows
{
    /// <summary>The fixed windows a moment falls in: its UTC minute and its UTC day.</summary>
    public static (DateTime Minute, DateTime Day) Of(DateTime utcNow) =>
        (new DateTime(utcNow.Year, utcNow.Month, utcNow.Day, utcNow.Hour, utcNow.Minute, 0, DateTimeKind.Utc), utcNow.Date);
}
