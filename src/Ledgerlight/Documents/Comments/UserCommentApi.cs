using Dapper;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.Query;
using Npgsql;

namespace Ledgerlight.Documents.Comments;

/// <summary>ExternalUserCommentV1Model.</summary>
public sealed record UserCommentModel(Guid Id, Guid CompanyId, Guid ResourceId, string Content, Guid CreatedBy, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record CreateUserCommentRequest(Guid? ResourceId, string? Content);
public sealed record UpdateUserCommentRequest(string? Content);

public sealed class UserCommentRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid ResourceId { get; set; }
    public string Content { get; set; } = "";
    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns = "uc.company_id, uc.id, uc.resource_id, uc.content, uc.created_by, uc.created_at, uc.updated_at";

    public UserCommentModel ToModel() => new(Id, CompanyId, ResourceId, Content, CreatedBy, CreatedAt, UpdatedAt);
}

/// <summary>
/// Comments on a record (resourceId: a vendor, bill...). Anyone who may write comments may add one;
/// only its author (the user, or the API key when no user is behind it) may change or delete it.
/// </summary>
public static class UserCommentApi
{
    const int MaxContent = 10_000;

    static readonly QueryField CreatedAt = new("createdAt", "uc.created_at", FieldType.Timestamp);

    public static readonly ListSpec<UserCommentRow> Spec = new()
    {
        From = "user_comments uc",
        Select = UserCommentRow.Columns,
        CompanyColumn = "uc.company_id",
        Id = new("id", "uc.id", FieldType.Uuid),
        IdOf = c => c.Id,
        Sortable = [(CreatedAt, c => c.CreatedAt)],
        Filterable = [new("createdBy", "uc.created_by", FieldType.Uuid), CreatedAt],
        DefaultSort = ("createdAt", SortDirection.Asc),
    };

    static Guid Author(Principal p) => p.UserId ?? p.CredentialId;

    public static void MapUserCommentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/user-comments", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var raw = ctx.Request.Query["resourceId"].ToString();
                Guid? resourceId = raw.Length == 0 ? null : Ids.Parse(raw, "resourceId");
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), ctx.Principal().CompanyId,
                    where => { if (resourceId is { } r) where.Add($"uc.resource_id = {where.Param(r)}"); }, ctx.RequestAborted);
                return ApiResults.Ok(page.Map(c => c.ToModel()));
            })
            .WithName("listUserComments")
            .RequirePermission(Permissions.Read("comments"));

        app.MapPost("/v1/user-comments", async (HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var r = await RequestBody.ReadAsync<CreateUserCommentRequest>(ctx);
                var v = new Validation();
                v.Required(r.ResourceId, "resourceId");
                v.Required(r.Content, "content");
                v.MaxLength(r.Content, MaxContent, "content");
                v.ThrowIfAny();
                var principal = ctx.Principal();
                var now = clock.GetUtcNow().UtcDateTime;
                await using var conn = await db.OpenConnectionAsync();
                var row = await conn.QuerySingleAsync<UserCommentRow>($"""
                    INSERT INTO user_comments AS uc (company_id, id, resource_id, content, created_by, created_at, updated_at)
                    VALUES (@companyId, @id, @resourceId, @content, @author, @now, @now)
                    RETURNING {UserCommentRow.Columns}
                    """, new { companyId = principal.CompanyId, id = Ids.New(), resourceId = r.ResourceId, content = r.Content, author = Author(principal), now });
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("createUserComment")
            .RequirePermission(Permissions.Write("comments"));

        app.MapPatch("/v1/user-comments/{userCommentId}", async (string userCommentId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var id = Ids.Parse(userCommentId, "userCommentId");
                var r = await RequestBody.ReadAsync<UpdateUserCommentRequest>(ctx);
                var v = new Validation();
                v.Required(r.Content, "content");
                v.MaxLength(r.Content, MaxContent, "content");
                v.ThrowIfAny();
                var principal = ctx.Principal();
                await using var conn = await db.OpenConnectionAsync();
                await using var tx = await conn.BeginTransactionAsync();
                await OwnAsync(conn, tx, principal, id);
                var row = await conn.QuerySingleAsync<UserCommentRow>($"""
                    UPDATE user_comments AS uc SET content = @content, updated_at = @now
                     WHERE uc.company_id = @companyId AND uc.id = @id
                    RETURNING {UserCommentRow.Columns}
                    """, new { companyId = principal.CompanyId, id, content = r.Content, now = clock.GetUtcNow().UtcDateTime }, tx);
                await tx.CommitWriteAsync();
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("updateUserComment")
            .RequirePermission(Permissions.Write("comments"));

        app.MapDelete("/v1/user-comments/{userCommentId}", async (string userCommentId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                var id = Ids.Parse(userCommentId, "userCommentId");
                var principal = ctx.Principal();
                await using var conn = await db.OpenConnectionAsync();
                await using var tx = await conn.BeginTransactionAsync();
                var row = await OwnAsync(conn, tx, principal, id);
                await conn.ExecuteAsync("DELETE FROM user_comments WHERE company_id = @companyId AND id = @id", new { companyId = principal.CompanyId, id }, tx);
                await tx.CommitWriteAsync();
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("deleteUserComment")
            .RequirePermission(Permissions.Write("comments"));
    }

    /// <summary>The comment, locked; 404 if it is not in the caller's company, 403 if the caller did not write it.</summary>
    static async Task<UserCommentRow> OwnAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<UserCommentRow>(
                      $"SELECT {UserCommentRow.Columns} FROM user_comments uc WHERE uc.company_id = @companyId AND uc.id = @id FOR UPDATE",
                      new { companyId = principal.CompanyId, id }, tx)
                  ?? throw ApiException.NotFound("User comment");
        if (row.CreatedBy != Author(principal)) throw ApiException.Forbidden("Only the author of a comment may change or delete it");
        return row;
    }
}
