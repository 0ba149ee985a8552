using Microsoft.AspNetCore.Identity;

namespace Ledgerlight.Organization.Users;

/// <summary>Who a fresh set-password link is for, to address the e-mail.</summary>
public sealed record IssuedPasswordLink(string Token, string Email, string? FirstName, string CompanyName);

/// <summary>Issues set-password links (storing only their hash) and redeems them once.</summary>
public sealed class PasswordSetupStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly PasswordHasher<UserRow> Hasher = new();

    sealed class Recipient
    {
        public string Email { get; set; } = "";
        public string? FirstName { get; set; }
        public string CompanyName { get; set; } = "";
    }

    /// <summary>
    /// A new link for an active user (null for a deactivated or unknown one). Earlier unused links of
    /// the user stop working: only the newest e-mail's link sets a password.
    /// </summary>
    public async Task<IssuedPasswordLink?> IssueAsync(Guid companyId, Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var recipient = await conn.QuerySingleOrDefaultAsync<Recipient>("""
            SELECT u.email, u.first_name, c.name AS company_name FROM users u JOIN companies c ON c.id = u.company_id
             WHERE u.company_id = @companyId AND u.id = @userId AND u.status = @active FOR UPDATE OF u
            """, new { companyId, userId, active = UserRules.Active }, tx);
        if (recipient is null) return null;
        var token = PasswordSetupToken.Generate();
        var now = clock.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync("""
            UPDATE password_setup_tokens SET used_at = @now WHERE company_id = @companyId AND user_id = @userId AND used_at IS NULL;
            INSERT INTO password_setup_tokens (token_hash, company_id, user_id, created_at, expires_at)
            VALUES (@hash, @companyId, @userId, @now, @expiresAt);
            """, new { hash = PasswordSetupToken.Hash(token), companyId, userId, now, expiresAt = PasswordSetupToken.ExpiresAt(now) }, tx);
        await tx.CommitAsync(ct);
        return new IssuedPasswordLink(token, recipient.Email, recipient.FirstName, recipient.CompanyName);
    }

    sealed class TokenRow
    {
        public Guid CompanyId { get; set; }
        public Guid UserId { get; set; }
        public DateTime ExpiresAt { get; set; }
        public DateTime? UsedAt { get; set; }
    }

    /// <summary>True when the link would still set a password (the form is shown only then).</summary>
    public async Task<bool> IsUsableAsync(string token, CancellationToken ct)
    {
        if (!PasswordSetupToken.IsWellFormed(token)) return false;
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await FindAsync(conn, null, token, lockRow: false);
        return row is not null && PasswordSetupToken.IsUsable(row.ExpiresAt, row.UsedAt, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// Sets the password and uses up the link, both or neither; false when the link is unknown, used,
    /// expired, or its user was deactivated meanwhile. Only the PasswordHasher's hash is stored.
    /// </summary>
    public async Task<bool> RedeemAsync(string token, string password, CancellationToken ct)
    {
        if (!PasswordSetupToken.IsWellFormed(token)) return false;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await FindAsync(conn, tx, token, lockRow: true);
        var now = clock.GetUtcNow().UtcDateTime;
        if (row is null || !PasswordSetupToken.IsUsable(row.ExpiresAt, row.UsedAt, now)) return false;
        var changed = await conn.ExecuteAsync("""
            UPDATE users SET password_hash = @hash, password_set_at = @now, updated_at = @now
             WHERE company_id = @CompanyId AND id = @UserId AND status = @active
            """, new { hash = Hasher.HashPassword(new UserRow(), password), now, row.CompanyId, row.UserId, active = UserRules.Active }, tx);
        if (changed == 0) return false;
        await conn.ExecuteAsync("UPDATE password_setup_tokens SET used_at = @now WHERE token_hash = @hash",
            new { now, hash = PasswordSetupToken.Hash(token) }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Checks a password against the stored hash (for the sign-in that OAuth will bring).</summary>
    public static bool Verifies(string storedHash, string password) =>
        Hasher.VerifyHashedPassword(new UserRow(), storedHash, password) != PasswordVerificationResult.Failed;

    static Task<TokenRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string token, bool lockRow) =>
        conn.QuerySingleOrDefaultAsync<TokenRow>(
            $"SELECT company_id, user_id, expires_at, used_at FROM password_setup_tokens WHERE token_hash = @hash{(lockRow ? " FOR UPDATE" : "")}",
            new { hash = PasswordSetupToken.Hash(token) }, tx);
}
