namespace Ledgerlight.Documents.Comments;

/// <summary>SQL of comments; a change or delete locks the comment and checks its author in the same transaction.</summary>
public sealed class UserCommentStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly DocumentTable<UserCommentRow> Table = new("user_comments", "uc", UserCommentRow.Columns);

    public async Task<UserCommentRow> CreateAsync(Principal principal, CreateUserCommentRequest r)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleAsync<UserCommentRow>($"""
            INSERT INTO user_comments AS uc (company_id, id, resource_id, content, created_by, created_at, updated_at)
            VALUES (@companyId, @id, @resourceId, @content, @author, @now, @now)
            RETURNING {UserCommentRow.Columns}
            """, new
        {
            companyId = principal.CompanyId, id = Ids.New(), resourceId = r.ResourceId, content = r.Content,
            author = UserCommentRules.Author(principal), now,
        });
    }

    /// <summary>Null when the company has no such comment.</summary>
    public Task<UserCommentRow?> UpdateAsync(Principal principal, Guid id, UpdateUserCommentRequest r) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async scope =>
        {
            UserCommentRules.EnsureAuthor(scope.Row, principal);
            return await scope.Connection.QuerySingleAsync<UserCommentRow>($"""
                UPDATE user_comments AS uc SET content = @content, updated_at = @now
                 WHERE uc.company_id = @companyId AND uc.id = @id
                RETURNING {UserCommentRow.Columns}
                """, new { companyId = principal.CompanyId, id, content = r.Content, now = clock.GetUtcNow().UtcDateTime }, scope.Transaction);
        });

    /// <summary>The comment as it was; null when the company has no such comment.</summary>
    public Task<UserCommentRow?> DeleteAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async scope =>
        {
            UserCommentRules.EnsureAuthor(scope.Row, principal);
            await scope.Connection.ExecuteAsync("DELETE FROM user_comments WHERE company_id = @companyId AND id = @id",
                new { companyId = principal.CompanyId, id }, scope.Transaction);
            return scope.Row;
        });
}
