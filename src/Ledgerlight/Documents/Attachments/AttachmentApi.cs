namespace Ledgerlight.Documents.Attachments;

/// <summary>
/// Attachments: a file uploaded through a signed URL (<see cref="SignedUrls"/>), attached to a record
/// by its id (resourceId). Deleting an attachment removes the record; the blob stays in the store.
/// </summary>
public static class AttachmentApi
{
    const string Purpose = "attachments";

    public static void MapAttachmentApi(this IEndpointRouteBuilder app)
    {
        var read = Permissions.Read("attachments");
        var write = Permissions.Write("attachments");
        var attachments = app.MapGroup("/v1/attachments");
        attachments.MapPost("/upload-url", UploadUrlAsync).WithName("createAttachmentUploadUrl").RequirePermission(write);

        attachments.MapPost("", async (HttpContext ctx, AttachmentStore store) =>
            {
                var r = await RequestBody.ReadValidAsync<CreateAttachmentRequest>(ctx, (x, v) => x.Validate(v));
                return ApiResults.Ok((await store.CreateAsync(ctx.Principal(), r)).ToModel());
            })
            .WithName("createAttachment").RequirePermission(write);

        attachments.MapGet("", async (HttpContext ctx, AttachmentStore store) =>
            {
                var raw = ctx.Request.Query["resourceId"].ToString();
                if (raw.Length == 0) throw ApiException.MissingParameter("resourceId");
                var rows = await store.ListAsync(ctx.Principal().CompanyId, Ids.Parse(raw, "resourceId"));
                return ApiResults.Ok(rows.Select(a => a.ToModel()).ToList());
            })
            .WithName("getAttachments").RequirePermission(read);

        var attachment = attachments.MapGroup("/{attachmentId}");
        attachment.MapDelete("", async (string attachmentId, HttpContext ctx, AttachmentStore store) =>
                ApiResults.Ok((await store.DeleteAsync(ctx.Principal().CompanyId, Id(attachmentId)) ?? throw NotFound()).ToModel()))
            .WithName("deleteAttachment").RequirePermission(write);

        attachment.MapGet("/document", async (string attachmentId, HttpContext ctx, AttachmentStore store, SignedUrls urls) =>
                Results.Redirect(urls.ForDownload(await store.DocumentKeyAsync(ctx.Principal().CompanyId, Id(attachmentId)) ?? throw NotFound()).Url))
            .WithName("getAttachmentDocument").RequirePermission(read);
        attachment.MapDownloadOptions("/document", "GET, OPTIONS").WithName("getAttachmentDocumentOptions").RequirePermission(read);
    }

    static Guid Id(string value) => Ids.Parse(value, "attachmentId");
    static ApiException NotFound() => ApiException.NotFound("Attachment");

    /// <summary>A signed PUT URL the client uploads the file to, with what the upload must respect.</summary>
    static async Task<IResult> UploadUrlAsync(HttpContext ctx, SignedUrls urls)
    {
        var r = await RequestBody.ReadValidAsync<AttachmentUploadRequest>(ctx, (x, v) => x.Validate(v));
        var upload = urls.ForUpload(ctx.Principal().CompanyId, Purpose, r.MediaType);
        var metadata = new Dictionary<string, string>
        {
            ["method"] = "PUT",
            ["expiresAt"] = upload.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["maxBytes"] = upload.MaxBytes.ToString(CultureInfo.InvariantCulture),
        };
        if (r.MediaType is { } contentType) metadata["contentType"] = contentType;
        return ApiResults.Ok(new AttachmentUploadUrlModel(upload.Url, upload.BlobKey, metadata));
    }
}
