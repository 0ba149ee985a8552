namespace Ledgerlight.OAuth;

/// <summary>Lifetimes and sign-in limits of the authorization server.</summary>
public sealed class OAuthOptions
{
    public int AccessTokenMinutes { get; set; } = 60;
    public int RefreshTokenDays { get; set; } = 30;
    /// <summary>RFC 6749 §4.1.2 recommends at most 10 minutes; a browser round trip needs seconds.</summary>
    public int CodeSeconds { get; set; } = 120;
    public int SessionMinutes { get; set; } = 60;
    public int MaxFailedSignIns { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>The server is reached over HTTPS (behind a TLS-terminating proxy too): cookies are Secure.</summary>
    public bool PublicUrlIsHttps { get; set; }

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(AccessTokenMinutes);
    public TimeSpan RefreshTokenLifetime => TimeSpan.FromDays(RefreshTokenDays);
    public TimeSpan CodeLifetime => TimeSpan.FromSeconds(CodeSeconds);
    public TimeSpan SessionLifetime => TimeSpan.FromMinutes(SessionMinutes);

    /// <summary>Overrides from LEDGERLIGHT_OAUTH_{ACCESS_TOKEN_MINUTES,REFRESH_TOKEN_DAYS,CODE_SECONDS,SESSION_MINUTES,MAX_FAILED_SIGN_INS,LOCKOUT_MINUTES}.</summary>
    public static OAuthOptions FromEnvironment(string? publicUrl = null)
    {
        static int? Read(string name) => int.TryParse(Environment.GetEnvironmentVariable("LEDGERLIGHT_OAUTH_" + name), out var v) && v > 0 ? v : null;
        var o = new OAuthOptions();
        o.AccessTokenMinutes = Read("ACCESS_TOKEN_MINUTES") ?? o.AccessTokenMinutes;
        o.RefreshTokenDays = Read("REFRESH_TOKEN_DAYS") ?? o.RefreshTokenDays;
        o.CodeSeconds = Math.Min(Read("CODE_SECONDS") ?? o.CodeSeconds, 600);
        o.SessionMinutes = Read("SESSION_MINUTES") ?? o.SessionMinutes;
        o.MaxFailedSignIns = Read("MAX_FAILED_SIGN_INS") ?? o.MaxFailedSignIns;
        o.LockoutMinutes = Read("LOCKOUT_MINUTES") ?? o.LockoutMinutes;
        o.PublicUrlIsHttps = publicUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
        return o;
    }
}

/// <summary>The failed sign-ins of one company and e-mail address so far.</summary>
public sealed record SignInFailures(int Failures, DateTime LastFailureAt, DateTime? LockedUntil);

/// <summary>
/// Lockout after repeated failures: pure decisions over the failure record. Failures older than the
/// lockout window are forgotten, so a typo weeks ago does not count towards today's lockout.
/// </summary>
public static class LockoutRules
{
    /// <summary>When the address is locked now, the moment it opens again; otherwise null.</summary>
    public static DateTime? LockedUntil(SignInFailures? record, DateTime now) =>
        record?.LockedUntil is { } until && until > now ? until : null;

    /// <summary>The record after one more failure: locked for the lockout period once the limit is reached.</summary>
    public static SignInFailures AfterFailure(SignInFailures? record, DateTime now, OAuthOptions options)
    {
        var window = TimeSpan.FromMinutes(options.LockoutMinutes);
        var stale = record is null || now - record.LastFailureAt > window || record.LockedUntil is { } lockedUntil && lockedUntil <= now;
        var failures = (stale ? 0 : record!.Failures) + 1;
        return new SignInFailures(failures, now, failures >= options.MaxFailedSignIns ? now + window : null);
    }
}
