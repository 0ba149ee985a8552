namespace Ledgerlight.Documents.Comments;

/// <summary>ExternalUserCommentV1Model.</summary>
public sealed record UserCommentModel(Guid Id, Guid CompanyId, Guid ResourceId, string Content, Guid CreatedBy, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record CreateUserCommentRequest(Guid? ResourceId, string? Content)
{
    public void Validate(Validation v)
    {
        v.Required(ResourceId, "resourceId");
        UserCommentRules.CheckContent(v, Content);
    }
}

public sealed record UpdateUserCommentRequest(string? Content)
{
    public void Validate(Validation v) => UserCommentRules.CheckContent(v, Content);
}

/// <summary>Who may change a comment and what it may hold; no database.</summary>
public static class UserCommentRules
{
    public const int MaxContent = 10_000;

    /// <summary>The author of what a principal writes: the user, or the API key when no user is behind it.</summary>
    public static Guid Author(Principal p) => p.UserId ?? p.CredentialId;

    public static void CheckContent(Validation v, string? content)
    {
        v.Required(content, "content");
        v.MaxLength(content, MaxContent, "content");
    }

    /// <summary>403 unless the principal wrote the comment.</summary>
    public static void EnsureAuthor(UserCommentRow row, Principal principal)
    {
        if (row.CreatedBy != Author(principal)) throw ApiException.Forbidden("Only the author of a comment may change or delete it");
    }
}

public sealed class UserCommentRow : TimestampedRow
{
    public Guid ResourceId { get; set; }
    public string Content { get; set; } = "";
    public Guid CreatedBy { get; set; }

    public const string Columns = "uc.company_id, uc.id, uc.resource_id, uc.content, uc.created_by, uc.created_at, uc.updated_at";

    public UserCommentModel ToModel() => new(Id, CompanyId, ResourceId, Content, CreatedBy, CreatedAt, UpdatedAt);
}
