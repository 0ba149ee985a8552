using Ledgerlight.Organization.Users;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.OAuth;

/// <summary>
/// Resolves "Bearer" access tokens, like <see cref="Organization.ApiKeys.ApiKeyResolver"/> does keys: one
/// statement finds the token, its grant, client and user, and counts the request against the grant's
/// minute and the company's day. The rate-limit bucket is the grant, not the single access token, so
/// refreshing does not buy a fresh minute. The token acts as its user: the role comes from the user's
/// roles as they are now, a deactivated user stops at once, and so does a revoked client or grant.
/// </summary>
public sealed class BearerResolver(NpgsqlDataSource db, TimeProvider clock) : ICredentialResolver
{
    public string Scheme => "Bearer";

    const string Sql = $"""
        WITH k AS (SELECT g.company_id, g.id, g.user_id, c.name, u.roles, u.status AS user_status
                     FROM oauth_tokens t
                     JOIN oauth_grants g ON g.company_id = t.company_id AND g.id = t.grant_id
                     JOIN oauth_clients c ON c.company_id = g.company_id AND c.id = g.client_id
                     JOIN users u ON u.company_id = g.company_id AND u.id = g.user_id
                    WHERE t.token_hash = $1 AND t.kind = 'access' AND t.expires_at > $4 AND t.revoked_at IS NULL
                      AND g.revoked_at IS NULL AND c.revoked_at IS NULL),
             c AS ({RateLimitCounters.Insert}
                   SELECT 'cred:' || k.id, $2, 1 FROM k
                   UNION ALL
                   SELECT 'company:' || k.company_id, $3, 1 FROM k
                   {RateLimitCounters.CountOnConflict})
        SELECT k.company_id, k.id, k.user_id, k.name, k.roles,
               (SELECT count FROM c WHERE bucket LIKE 'cred:%'), (SELECT count FROM c WHERE bucket LIKE 'company:%'), k.user_status
          FROM k
        """;

    public async Task<Principal?> ResolveAsync(string credentials, CancellationToken ct)
    {
        if (!credentials.StartsWith(OAuthSecrets.AccessTokenPrefix, StringComparison.Ordinal)) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var (minute, day) = RateLimitWindows.Of(now);
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = OAuthSecrets.Hash(credentials) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = minute });
        cmd.Parameters.Add(new NpgsqlParameter { Value = day });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        if (reader.GetString(7) != UserRules.Active)
            throw ApiException.Unauthorized("The user this access token acts as is deactivated");
        var roles = reader.GetFieldValue<string[]>(4);
        return new Principal(reader.GetGuid(0), reader.GetGuid(1), CredentialKind.OAuthToken, OAuthRules.ApiRole(roles),
            reader.GetGuid(2), reader.GetString(3))
        {
            Counted = new RateLimitCount(reader.GetInt32(5), reader.GetInt32(6), minute, day),
        };
    }
}
