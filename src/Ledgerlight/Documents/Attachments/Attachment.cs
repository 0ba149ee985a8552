namespace Ledgerlight.Documents.Attachments;

public sealed record AttachmentMetadataModel(string? Type);

/// <summary>ExternalAttachmentV1Model.</summary>
public sealed record AttachmentModel(
    Guid Id, Guid CompanyId, Guid ResourceId, string DocumentKey, string FileName, string ContentType, Guid? CreatedBy,
    AttachmentMetadataModel? Metadata, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalUploadAttachmentRequestV1Model.</summary>
public sealed record AttachmentUploadRequest(Guid? ResourceId, string? FileName, string? ContentType)
{
    /// <summary>The media type asked for, normalised (null when none is given).</summary>
    public string? MediaType => ContentType is { Length: > 0 } ct ? SignedUrls.NormalizeMediaType(ct) : null;

    public void Validate(Validation v)
    {
        v.Required(ResourceId, "resourceId");
        v.MaxLength(FileName, 255, "fileName");
        if (MediaType is { } type && !SignedUrls.AllowedContentTypes.Contains(type))
            v.Add($"contentType must be one of {string.Join(", ", SignedUrls.AllowedContentTypes)}", "contentType");
    }
}

/// <summary>ExternalAttachmentUploadUrlResponseV1Model.</summary>
public sealed record AttachmentUploadUrlModel(string UploadUrl, string Key, IReadOnlyDictionary<string, string>? Metadata);

/// <summary>ExternalCreateAttachmentRequestV1Model.</summary>
public sealed record CreateAttachmentRequest(Guid? ResourceId, string? DocumentKey, string? FileName, string? ContentType, AttachmentMetadataModel? Metadata)
{
    public void Validate(Validation v)
    {
        v.Required(ResourceId, "resourceId");
        v.Required(DocumentKey, "documentKey");
        v.Required(FileName, "fileName");
        v.MaxLength(FileName, 255, "fileName");
        v.MaxLength(Metadata?.Type, 50, "metadata", "type");
    }
}

public sealed class AttachmentRow : TimestampedRow
{
    public Guid ResourceId { get; set; }
    public string DocumentKey { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public string? MetadataType { get; set; }
    public Guid? CreatedBy { get; set; }

    public const string Columns = "company_id, id, resource_id, document_key, file_name, content_type, metadata_type, created_by, created_at, updated_at";

    public AttachmentModel ToModel() => new(Id, CompanyId, ResourceId, DocumentKey, FileName, ContentType, CreatedBy,
        MetadataType is null ? null : new AttachmentMetadataModel(MetadataType), CreatedAt, UpdatedAt);
}
