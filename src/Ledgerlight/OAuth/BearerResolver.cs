using Ledgerlight.Organization.Users;

namespace Ledgerlight.OAuth;

/// <summary>
/// Resolves "Bearer" access tokens like <see cref="Organization.ApiKeys.ApiKeyResolver"/> resolves keys: one statement
/// finds the token, its grant, client and user, and the answer is kept in the <see cref="PrincipalCache"/> until
/// anything that could end it changes (NOTIFY triggers on the OAuth tables, users and keys; in-process invalidation by
/// <see cref="OAuthCredentials.Revoking"/>) or the token expires. The rate limiter counts the request against the
/// principal's credential, which is the grant, not the single access token, so refreshing does not buy a fresh minute,
/// and against the company's day. The token acts as its user: the role comes from the user's roles as they are now, a
/// deactivated user stops at once, and so does a revoked client or grant.
/// </summary>
public sealed class BearerResolver(NpgsqlDataSource db, TimeProvider clock, PrincipalCache cache) : ICredentialResolver
{
    public string Scheme => "Bearer";

    const string Sql = """
        SELECT g.company_id, g.id, g.user_id, c.name, u.roles, u.status, t.expires_at
          FROM oauth_tokens t
          JOIN oauth_grants g ON g.company_id = t.company_id AND g.id = t.grant_id
          JOIN oauth_clients c ON c.company_id = g.company_id AND c.id = g.client_id
          JOIN users u ON u.company_id = g.company_id AND u.id = g.user_id
         WHERE t.token_hash = $1 AND t.kind = 'access' AND t.expires_at > $2 AND t.revoked_at IS NULL
           AND g.revoked_at IS NULL AND c.revoked_at IS NULL
        """;

    public async Task<Principal?> ResolveAsync(string credentials, CancellationToken ct)
    {
        if (!credentials.StartsWith(OAuthSecrets.AccessTokenPrefix, StringComparison.Ordinal)) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = OAuthSecrets.Hash(credentials);
        var cacheKey = "bearer:" + Convert.ToBase64String(hash);
        if (cache.TryGet(cacheKey, out var cached) && cached!.ExpiresAt > now) return cached;

        var generation = cache.Generation;
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        if (reader.GetString(5) != UserRules.Active)
            throw ApiException.Unauthorized("The user this access token acts as is deactivated");
        var roles = reader.GetFieldValue<string[]>(4);
        var principal = new Principal(reader.GetGuid(0), reader.GetGuid(1), CredentialKind.OAuthToken, OAuthRules.ApiRole(roles),
            reader.GetGuid(2), reader.GetString(3))
        {
            ExpiresAt = DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc),
        };
        cache.Store(cacheKey, principal, generation);
        return principal;
    }
}
