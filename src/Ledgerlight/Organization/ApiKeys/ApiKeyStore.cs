using Ledgerlight.Organization.Users;

namespace Ledgerlight.Organization.ApiKeys;

/// <summary>An API key as listed; <see cref="UserId"/> is the user the key acts as (null: the key acts as itself).</summary>
public sealed record ApiKeyInfo(Guid Id, Guid CompanyId, string Name, string Role, string KeyPrefix, DateTime CreatedAt, DateTime? RevokedAt, Guid? UserId = null);

public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>
/// API keys: created with a role, stored as a SHA-256 hash, revoked but never deleted (audit). A key may
/// be bound to one of the company's users; it then acts as that user and stops working while the user
/// is deactivated.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<CreatedApiKey> CreateAsync(Guid companyId, string role, string? name, Guid? userId = null)
    {
        if (!Roles.IsKnown(role)) throw new ArgumentException($"unknown role '{role}'; roles: {string.Join(", ", Roles.All)}");
        var key = ApiKeyFormat.Generate();
        var info = new ApiKeyInfo(Ids.New(), companyId, string.IsNullOrWhiteSpace(name) ? $"{role.ToLowerInvariant()} key" : name.Trim(),
            role, ApiKeyFormat.DisplayPrefix(key), clock.GetUtcNow().UtcDateTime, null, userId);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO api_keys (company_id, id, name, role, key_hash, key_prefix, user_id, created_at)
            VALUES (@CompanyId, @Id, @Name, @Role, @hash, @KeyPrefix, @UserId, @CreatedAt)
            """, new { info.CompanyId, info.Id, info.Name, info.Role, hash = ApiKeyFormat.Hash(key), info.KeyPrefix, info.UserId, info.CreatedAt });
        return new CreatedApiKey(info, key);
    }

    /// <summary>The active user of the company with this id or e-mail (case-insensitive), for binding a key to it.</summary>
    public async Task<Guid> FindUserAsync(Guid companyId, string idOrEmail)
    {
        await using var conn = await db.OpenConnectionAsync();
        var user = await conn.QuerySingleOrDefaultAsync<UserRow>($"""
            SELECT {UserRow.Columns} FROM users
             WHERE company_id = @companyId AND (id = @id OR lower(email) = lower(@idOrEmail))
            """, new { companyId, id = Guid.TryParse(idOrEmail, out var g) ? g : (Guid?)null, idOrEmail = idOrEmail.Trim() })
            ?? throw new ArgumentException($"user '{idOrEmail}' not found in this company");
        if (user.Status != UserRules.Active) throw new ArgumentException($"user '{idOrEmail}' is {user.Status}; activate the user first");
        return user.Id;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(Guid? companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<ApiKeyInfo>("""
            SELECT id AS Id, company_id AS CompanyId, name AS Name, role AS Role, key_prefix AS KeyPrefix, created_at AS CreatedAt, revoked_at AS RevokedAt,
                   user_id AS UserId FROM api_keys
             WHERE @companyId::uuid IS NULL OR company_id = @companyId ORDER BY created_at
            """, new { companyId })).ToList();
    }

    /// <summary>Revokes by key id or by the full key; true when a live key was revoked.</summary>
    public async Task<bool> RevokeAsync(string idOrKey)
    {
        await using var conn = await db.OpenConnectionAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = Guid.TryParse(idOrKey, out var id)
            ? await conn.ExecuteAsync("UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now })
            : await conn.ExecuteAsync("UPDATE api_keys SET revoked_at = @now WHERE key_hash = @hash AND revoked_at IS NULL",
                new { hash = ApiKeyFormat.Hash(idOrKey), now });
        // Other instances hear it from the trigger's NOTIFY; this process stops the key before we return.
        PrincipalCache.InvalidateInProcess();
        return revoked > 0;
    }
}

/// <summary>
/// Resolves "Basic" credentials to the API key's principal. A key seen before is answered from the
/// <see cref="PrincipalCache"/> (no database round trip; revocations and user deactivations empty it on
/// every instance); otherwise one statement finds the key and the status of the user it is bound to, so a
/// deactivated user's keys stop at once. The rate limiter counts the request (RateLimitMiddleware).
/// </summary>
public sealed class ApiKeyResolver(NpgsqlDataSource db, PrincipalCache cache) : ICredentialResolver
{
    public string Scheme => "Basic";

    const string Sql = """
        SELECT a.company_id, a.id, a.role, a.user_id, a.name, u.status
          FROM api_keys a LEFT JOIN users u ON u.company_id = a.company_id AND u.id = a.user_id
         WHERE a.key_hash = $1 AND a.revoked_at IS NULL
        """;

    public async Task<Principal?> ResolveAsync(string credentials, CancellationToken ct)
    {
        var key = ApiKeyFormat.FromBasic(credentials);
        if (key is null) return null;
        var hash = ApiKeyFormat.Hash(key);
        var cacheKey = "basic:" + Convert.ToBase64String(hash);
        if (cache.TryGet(cacheKey, out var cached)) return cached;

        var generation = cache.Generation;
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        if (!reader.IsDBNull(5) && reader.GetString(5) != UserRules.Active)
            throw ApiException.Unauthorized("The user this API key acts as is deactivated");
        var principal = new Principal(reader.GetGuid(0), reader.GetGuid(1), CredentialKind.ApiKey, reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetString(4));
        cache.Store(cacheKey, principal, generation);
        return principal;
    }
}
