namespace Ledgerlight.Platform.Auth;

/// <summary>
/// Turns an Authorization header into a principal. One implementation per scheme: API keys today
/// ("Basic"), OAuth access tokens ("Bearer") slot in as another resolver without touching endpoints.
/// Rate limits: leave <see cref="Principal.Counted"/> null and the rate limiter takes the request from its
/// leased quota (per <see cref="Principal.CredentialBucket"/> and <see cref="Principal.CompanyBucket"/>);
/// a resolver that counts in its own statement sets Counted and is taken at its word. Caching: a resolver
/// may keep what it resolved in <see cref="PrincipalCache"/> (key: scheme + digest of the credential; read
/// <see cref="PrincipalCache.Generation"/> before the database lookup); its table then needs the NOTIFY
/// trigger of migration 0200 on whatever revokes the credential, and in-process revokers call
/// <see cref="PrincipalCache.InvalidateInProcess"/> after commit.
/// </summary>
public interface ICredentialResolver
{
    /// <summary>The scheme this resolver handles, e.g. "Basic".</summary>
    string Scheme { get; }

    /// <summary>The principal for these credentials, or null when they are unknown or revoked.</summary>
    Task<Principal?> ResolveAsync(string credentials, CancellationToken ct);
}
