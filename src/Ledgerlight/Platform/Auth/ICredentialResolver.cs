namespace Ledgerlight.Platform.Auth;

/// <summary>
/// Turns an Authorization header into a principal. One implementation per scheme: API keys today
/// ("Basic"), OAuth access tokens ("Bearer") slot in as another resolver without touching endpoints.
/// </summary>
public interface ICredentialResolver
{
    /// <summary>The scheme this resolver handles, e.g. "Basic".</summary>
    string Scheme { get; }

    /// <summary>The principal for these credentials, or null when they are unknown or revoked.</summary>
    Task<Principal?> ResolveAsync(string credentials, CancellationToken ct);
}
