using Ledgerlight.Organization.Users;

namespace Ledgerlight.OAuth;

/// <summary>A token pair as issued: the plain values exist only in this answer.</summary>
public sealed record IssuedTokens(string AccessToken, string RefreshToken, long ExpiresIn);

/// <summary>Either tokens or the RFC 6749 error that refused them.</summary>
public sealed record TokenOutcome(IssuedTokens? Tokens, OAuthError? Error);

/// <summary>An active grant as the admin view lists it (LedgerlightOAuthGrant).</summary>
public sealed record OAuthGrantModel(Guid Id, Guid CompanyId, Guid UserId, Guid ClientId, string ClientName, DateTime CreatedAt,
    DateTime LastUsedAt, DateTime? RevokedAt, string? RevokedReason);

/// <summary>
/// Codes, grants and tokens. Each exchange runs in one transaction with the code or refresh token row
/// locked, so two concurrent uses of one code or refresh token cannot both succeed. The decisions
/// themselves are <see cref="OAuthRules"/>; this class only loads and writes.
/// </summary>
public sealed class OAuthTokenStore(NpgsqlDataSource db, TimeProvider clock, OAuthOptions options)
{
    public async Task<string> IssueCodeAsync(OAuthClient client, Guid userId, string redirectUri, string? codeChallenge, CancellationToken ct)
    {
        var code = OAuthSecrets.Generate(OAuthSecrets.CodePrefix);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync(ct);
        // A day past expiry a code can only be "unknown" (its replay no longer revokes anything): it goes,
        // with expired tokens, a bounded batch per new code, so the tables stay the size of what is live.
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO oauth_codes (code_hash, company_id, client_id, user_id, redirect_uri, code_challenge, created_at, expires_at)
            VALUES (@hash, @CompanyId, @clientId, @userId, @redirectUri, @codeChallenge, @now, @expiresAt);
            DELETE FROM oauth_codes WHERE code_hash IN (SELECT code_hash FROM oauth_codes WHERE expires_at < @cutoff LIMIT 100);
            DELETE FROM oauth_tokens WHERE token_hash IN (SELECT token_hash FROM oauth_tokens WHERE expires_at < @cutoff LIMIT 100);
            """, new { hash = OAuthSecrets.Hash(code), client.CompanyId, clientId = client.Id, userId, redirectUri,
                codeChallenge = string.IsNullOrEmpty(codeChallenge) ? null : codeChallenge, now, expiresAt = now + options.CodeLifetime,
                cutoff = now - TimeSpan.FromDays(1) },
            cancellationToken: ct));
        return code;
    }

    sealed class CodeRow
    {
        public Guid CompanyId { get; set; }
        public Guid ClientId { get; set; }
        public Guid UserId { get; set; }
        public string RedirectUri { get; set; } = "";
        public string? CodeChallenge { get; set; }
        public DateTime ExpiresAt { get; set; }
        public DateTime? UsedAt { get; set; }
        public Guid? GrantId { get; set; }
        public string UserStatus { get; set; } = "";
    }

    /// <summary>authorization_code grant. A replayed code also revokes the grant it was first exchanged for (RFC 6749 §4.1.2).</summary>
    public Task<TokenOutcome> ExchangeCodeAsync(OAuthClient client, string code, string? redirectUri, string? verifier, CancellationToken ct) =>
        OAuthCredentials.Revoking(() => ExchangeCodeCoreAsync(client, code, redirectUri, verifier, ct));

    async Task<TokenOutcome> ExchangeCodeCoreAsync(OAuthClient client, string code, string? redirectUri, string? verifier, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var hash = OAuthSecrets.Hash(code);
        var row = await conn.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition("""
            SELECT c.company_id, c.client_id, c.user_id, c.redirect_uri, c.code_challenge, c.expires_at, c.used_at, c.grant_id, u.status AS user_status
              FROM oauth_codes c JOIN users u ON u.company_id = c.company_id AND u.id = c.user_id
             WHERE c.code_hash = @hash FOR UPDATE OF c
            """, new { hash }, tx, cancellationToken: ct));
        var now = clock.GetUtcNow().UtcDateTime;
        var record = row is null ? null : new CodeRecord(row.CompanyId, row.ClientId, row.UserId, row.RedirectUri, row.CodeChallenge, row.ExpiresAt, row.UsedAt, row.GrantId);
        if (OAuthRules.CheckCode(record, client.Id, redirectUri, verifier, now) is { } error)
        {
            if (row is { UsedAt: not null, GrantId: { } replayed } && row.ClientId == client.Id)
            {
                await RevokeGrantAsync(conn, tx, row.CompanyId, replayed, "authorization code replayed", now, ct);
                await tx.CommitAsync(ct);
            }
            return new TokenOutcome(null, error);
        }
        if (row!.UserStatus != UserRules.Active)
            return new TokenOutcome(null, new OAuthError(OAuthErrors.InvalidGrant, "The user who authorized this code is deactivated"));

        var grantId = Ids.New();
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO oauth_grants (company_id, id, client_id, user_id, created_at, last_used_at) VALUES (@CompanyId, @grantId, @ClientId, @UserId, @now, @now);
            UPDATE oauth_codes SET used_at = @now, grant_id = @grantId WHERE code_hash = @hash;
            """, new { row.CompanyId, grantId, row.ClientId, row.UserId, now, hash }, tx, cancellationToken: ct));
        var tokens = await IssueAsync(conn, tx, row.CompanyId, grantId, now, ct);
        await tx.CommitAsync(ct);
        return new TokenOutcome(tokens, null);
    }

    sealed class RefreshRow
    {
        public Guid CompanyId { get; set; }
        public Guid GrantId { get; set; }
        public Guid ClientId { get; set; }
        public DateTime ExpiresAt { get; set; }
        public DateTime? UsedAt { get; set; }
        public DateTime? GrantRevokedAt { get; set; }
        public string UserStatus { get; set; } = "";
    }

    /// <summary>refresh_token grant: rotates the token; a rotated token presented again revokes the whole grant (RFC 6819 §5.2.2.3).</summary>
    public Task<TokenOutcome> RefreshAsync(OAuthClient client, string refreshToken, CancellationToken ct) =>
        OAuthCredentials.Revoking(() => RefreshCoreAsync(client, refreshToken, ct));

    async Task<TokenOutcome> RefreshCoreAsync(OAuthClient client, string refreshToken, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var hash = OAuthSecrets.Hash(refreshToken);
        var row = await conn.QuerySingleOrDefaultAsync<RefreshRow>(new CommandDefinition("""
            SELECT t.company_id, t.grant_id, g.client_id, t.expires_at, t.used_at, g.revoked_at AS grant_revoked_at, u.status AS user_status
              FROM oauth_tokens t
              JOIN oauth_grants g ON g.company_id = t.company_id AND g.id = t.grant_id
              JOIN users u ON u.company_id = g.company_id AND u.id = g.user_id
             WHERE t.token_hash = @hash AND t.kind = 'refresh' FOR UPDATE OF t, g
            """, new { hash }, tx, cancellationToken: ct));
        var now = clock.GetUtcNow().UtcDateTime;
        var record = row is null ? null : new RefreshRecord(row.CompanyId, row.GrantId, row.ClientId, row.ExpiresAt, row.UsedAt, row.GrantRevokedAt, row.UserStatus);
        var (verdict, error) = OAuthRules.CheckRefresh(record, client.Id, now);
        if (verdict == RefreshVerdict.Reuse)
        {
            await RevokeGrantAsync(conn, tx, row!.CompanyId, row.GrantId, "refresh token reused", now, ct);
            await tx.CommitAsync(ct);
        }
        if (verdict != RefreshVerdict.Rotate) return new TokenOutcome(null, error);

        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE oauth_tokens SET used_at = @now WHERE token_hash = @hash;
            UPDATE oauth_grants SET last_used_at = @now WHERE company_id = @CompanyId AND id = @GrantId;
            """, new { now, hash, row!.CompanyId, row.GrantId }, tx, cancellationToken: ct));
        var tokens = await IssueAsync(conn, tx, row.CompanyId, row.GrantId, now, ct);
        await tx.CommitAsync(ct);
        return new TokenOutcome(tokens, null);
    }

    async Task<IssuedTokens> IssueAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid grantId, DateTime now, CancellationToken ct)
    {
        var access = OAuthSecrets.Generate(OAuthSecrets.AccessTokenPrefix);
        var refresh = OAuthSecrets.Generate(OAuthSecrets.RefreshTokenPrefix);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO oauth_tokens (token_hash, company_id, id, grant_id, kind, created_at, expires_at) VALUES
              (@accessHash, @companyId, @accessId, @grantId, 'access', @now, @accessExpires),
              (@refreshHash, @companyId, @refreshId, @grantId, 'refresh', @now, @refreshExpires)
            """, new
            {
                accessHash = OAuthSecrets.Hash(access), refreshHash = OAuthSecrets.Hash(refresh), companyId, grantId, now,
                accessId = Ids.New(), refreshId = Ids.New(),
                accessExpires = now + options.AccessTokenLifetime, refreshExpires = now + options.RefreshTokenLifetime,
            }, tx, cancellationToken: ct));
        return new IssuedTokens(access, refresh, (long)options.AccessTokenLifetime.TotalSeconds);
    }

    static Task RevokeGrantAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid grantId, string reason, DateTime now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "UPDATE oauth_grants SET revoked_at = @now, revoked_reason = @reason WHERE company_id = @companyId AND id = @grantId AND revoked_at IS NULL",
            new { now, reason, companyId, grantId }, tx, cancellationToken: ct));

    /// <summary>
    /// RFC 7009: a refresh token ends its grant, an access token only itself; a token of another
    /// client, or an unknown one, changes nothing (and the caller answers 200 all the same).
    /// </summary>
    public Task RevokeTokenAsync(OAuthClient client, string token, CancellationToken ct) =>
        OAuthCredentials.Revoking(async () => { await RevokeTokenCoreAsync(client, token, ct); return true; });

    async Task RevokeTokenCoreAsync(OAuthClient client, string token, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var t = await conn.QuerySingleOrDefaultAsync<TokenOwner>(new CommandDefinition("""
            SELECT t.company_id, t.grant_id, t.kind FROM oauth_tokens t JOIN oauth_grants g ON g.company_id = t.company_id AND g.id = t.grant_id
             WHERE t.token_hash = @hash AND g.client_id = @clientId
            """, new { hash = OAuthSecrets.Hash(token), clientId = client.Id }, cancellationToken: ct));
        if (t is null) return;
        if (t.Kind == "refresh") await RevokeGrantAsync(conn, null, t.CompanyId, t.GrantId, "revoked by the client", now, ct);
        else
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE oauth_tokens SET revoked_at = coalesce(revoked_at, @now) WHERE token_hash = @hash",
                new { now, hash = OAuthSecrets.Hash(token) }, cancellationToken: ct));
    }

    sealed class TokenOwner
    {
        public Guid CompanyId { get; set; }
        public Guid GrantId { get; set; }
        public string Kind { get; set; } = "";
    }

    const string GrantColumns = """
        g.id AS Id, g.company_id AS CompanyId, g.user_id AS UserId, g.client_id AS ClientId, c.name AS ClientName,
        g.created_at AS CreatedAt, g.last_used_at AS LastUsedAt, g.revoked_at AS RevokedAt, g.revoked_reason AS RevokedReason
        """;

    /// <summary>The user's active grants (those whose client is still active too), newest first.</summary>
    /// <summary>The user's grants that still hold working tokens; null when the company has no such user.</summary>
    public async Task<IReadOnlyList<OAuthGrantModel>?> ActiveGrantsAsync(Guid companyId, Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await Organization.Users.UserStore.ExistsAsync(conn, null, companyId, userId)) return null;
        return (await conn.QueryAsync<GrantRow>(new CommandDefinition($"""
            SELECT {GrantColumns} FROM oauth_grants g JOIN oauth_clients c ON c.company_id = g.company_id AND c.id = g.client_id
             WHERE g.company_id = @companyId AND g.user_id = @userId AND g.revoked_at IS NULL AND c.revoked_at IS NULL
             ORDER BY g.created_at DESC, g.id LIMIT 1000
            """, new { companyId, userId }, cancellationToken: ct))).Select(r => r.ToModel()).ToList();
    }

    /// <summary>Revokes one of the company's grants (idempotent); null when the company has no such grant.</summary>
    public Task<OAuthGrantModel?> RevokeGrantAsync(Guid companyId, Guid grantId, CancellationToken ct) =>
        OAuthCredentials.Revoking(() => RevokeGrantCoreAsync(companyId, grantId, ct));

    async Task<OAuthGrantModel?> RevokeGrantCoreAsync(Guid companyId, Guid grantId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await RevokeGrantAsync(conn, null, companyId, grantId, "revoked by an administrator", clock.GetUtcNow().UtcDateTime, ct);
        var row = await conn.QuerySingleOrDefaultAsync<GrantRow>(new CommandDefinition($"""
            SELECT {GrantColumns} FROM oauth_grants g JOIN oauth_clients c ON c.company_id = g.company_id AND c.id = g.client_id
             WHERE g.company_id = @companyId AND g.id = @grantId
            """, new { companyId, grantId }, cancellationToken: ct));
        return row?.ToModel();
    }

    sealed class GrantRow
    {
        public Guid Id { get; set; }
        public Guid CompanyId { get; set; }
        public Guid UserId { get; set; }
        public Guid ClientId { get; set; }
        public string ClientName { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public DateTime LastUsedAt { get; set; }
        public DateTime? RevokedAt { get; set; }
        public string? RevokedReason { get; set; }
        public OAuthGrantModel ToModel() => new(Id, CompanyId, UserId, ClientId, ClientName, CreatedAt, LastUsedAt, RevokedAt, RevokedReason);
    }
}
