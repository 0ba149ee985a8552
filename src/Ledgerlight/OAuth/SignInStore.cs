using Ledgerlight.Organization.Users;
using Microsoft.AspNetCore.Identity;

namespace Ledgerlight.OAuth;

public enum SignInStatus { Ok, Failed, Locked }

public sealed record SignInResult(SignInStatus Status, Guid? UserId = null, DateTime? LockedUntil = null);

/// <summary>The signed-in user of a session, as the consent screen shows them.</summary>
public sealed record SessionUser(Guid CompanyId, Guid UserId, string Email, string? FirstName, string? LastName, string[] Roles)
{
    public string DisplayName => string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } n ? n : Email;
}

/// <summary>
/// E-mail and password sign-in for the authorize pages, with lockout, and the browser sessions it opens.
/// Unknown address, wrong password, no password set yet and deactivated user all fail the same way,
/// after the same password-hash work, so neither the answer nor its timing tells which.
/// </summary>
public sealed class SignInStore(NpgsqlDataSource db, TimeProvider clock, OAuthOptions options)
{
    static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<UserRow>().HashPassword(new UserRow(), OAuthSecrets.Generate("dummy_")));

    sealed class Candidate
    {
        public Guid Id { get; set; }
        public string Status { get; set; } = "";
        public string? PasswordHash { get; set; }
    }

    sealed class FailureRow
    {
        public int Failures { get; set; }
        public DateTime LastFailureAt { get; set; }
        public DateTime? LockedUntil { get; set; }
    }

    public async Task<SignInResult> SignInAsync(Guid companyId, string email, string password, CancellationToken ct)
    {
        var key = email.Trim().ToLowerInvariant();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await conn.QuerySingleOrDefaultAsync<FailureRow>(new CommandDefinition(
            "SELECT failures, last_failure_at, locked_until FROM oauth_sign_in_failures WHERE company_id = @companyId AND email = @key FOR UPDATE",
            new { companyId, key }, tx, cancellationToken: ct));
        var record = row is null ? null : new SignInFailures(row.Failures, row.LastFailureAt, row.LockedUntil);
        // While locked, even the right password is not checked: guessing on must not be able to find it.
        if (LockoutRules.LockedUntil(record, now) is { } until) return new SignInResult(SignInStatus.Locked, LockedUntil: until);

        var user = await conn.QuerySingleOrDefaultAsync<Candidate>(new CommandDefinition(
            "SELECT id, status, password_hash FROM users WHERE company_id = @companyId AND lower(email) = @key",
            new { companyId, key }, tx, cancellationToken: ct));
        var verified = PasswordSetupStore.Verifies(user?.PasswordHash ?? DummyHash.Value, password)
                       && user is { PasswordHash: not null } && user.Status == UserRules.Active;
        if (verified)
        {
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM oauth_sign_in_failures WHERE company_id = @companyId AND email = @key",
                new { companyId, key }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new SignInResult(SignInStatus.Ok, user!.Id);
        }

        var next = LockoutRules.AfterFailure(record, now, options);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO oauth_sign_in_failures (company_id, email, failures, last_failure_at, locked_until) VALUES (@companyId, @key, @Failures, @LastFailureAt, @LockedUntil)
            ON CONFLICT (company_id, email) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
            """, new { companyId, key, next.Failures, next.LastFailureAt, next.LockedUntil }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return next.LockedUntil is { } lockedNow ? new SignInResult(SignInStatus.Locked, LockedUntil: lockedNow) : new SignInResult(SignInStatus.Failed);
    }

    /// <summary>Opens a session; the returned token goes into the cookie, only its hash into the table.</summary>
    public async Task<string> OpenSessionAsync(Guid companyId, Guid userId, CancellationToken ct)
    {
        var token = OAuthSecrets.Generate(OAuthSecrets.SessionPrefix);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            DELETE FROM oauth_sessions WHERE expires_at < @now;
            INSERT INTO oauth_sessions (token_hash, company_id, user_id, created_at, expires_at) VALUES (@hash, @companyId, @userId, @now, @expiresAt);
            """, new { hash = OAuthSecrets.Hash(token), companyId, userId, now, expiresAt = now + options.SessionLifetime }, cancellationToken: ct));
        return token;
    }

    /// <summary>The session's user if the session is live, belongs to this company and its user is still active.</summary>
    public async Task<SessionUser?> FindSessionAsync(string? token, Guid companyId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition("""
            SELECT u.company_id AS CompanyId, u.id AS UserId, u.email AS Email, u.first_name AS FirstName, u.last_name AS LastName, u.roles AS Roles
              FROM oauth_sessions s JOIN users u ON u.company_id = s.company_id AND u.id = s.user_id
             WHERE s.token_hash = @hash AND s.company_id = @companyId AND s.expires_at > @now AND u.status = @active
            """, new { hash = OAuthSecrets.Hash(token), companyId, now = clock.GetUtcNow().UtcDateTime, active = UserRules.Active },
            cancellationToken: ct));
        return row is null ? null : new SessionUser(row.CompanyId, row.UserId, row.Email, row.FirstName, row.LastName, row.Roles);
    }

    sealed class SessionRow
    {
        public Guid CompanyId { get; set; }
        public Guid UserId { get; set; }
        public string Email { get; set; } = "";
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string[] Roles { get; set; } = [];
    }

    public async Task CloseSessionAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token)) return;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM oauth_sessions WHERE token_hash = @hash",
            new { hash = OAuthSecrets.Hash(token) }, cancellationToken: ct));
    }
}
