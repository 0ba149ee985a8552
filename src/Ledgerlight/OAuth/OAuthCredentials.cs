namespace Ledgerlight.OAuth;

/// <summary>How OAuth writes keep the credential cache (<see cref="PrincipalCache"/>) true.</summary>
public static class OAuthCredentials
{
    /// <summary>
    /// Runs a store operation that may end tokens (a revocation, a replayed code, a reused refresh token) and then,
    /// committed or not, empties this process's credential caches, so the very next request here already sees it.
    /// Other instances hear of it from the NOTIFY triggers on the OAuth tables (migration 0220).
    /// </summary>
    public static async Task<T> Revoking<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        finally
        {
            PrincipalCache.InvalidateInProcess();
        }
    }
}
