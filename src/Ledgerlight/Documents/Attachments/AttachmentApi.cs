using System.Globalization;
using Dapper;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Documents.Attachments;

/// <summary>
/// Attachments: a file uploaded through a signed URL (<see cref="SignedUrls"/>), attached to a record
/// by its id (resourceId). Deleting an attachment removes the record; the blob stays in the store.
/// </summary>
public static class AttachmentApi
{
    const string Purpose = "attachments";
    const int MaxPerResource = 1000;

    public static void MapAttachmentApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/attachments/upload-url", async (HttpContext ctx, SignedUrls urls) =>
            {
                var r = await RequestBody.ReadAsync<AttachmentUploadRequest>(ctx);
                var v = new Validation();
                v.Required(r.ResourceId, "resourceId");
                v.MaxLength(r.FileName, 255, "fileName");
                var contentType = r.ContentType is { Length: > 0 } ct ? SignedUrls.NormalizeMediaType(ct) : null;
                if (contentType is not null && !SignedUrls.AllowedContentTypes.Contains(contentType))
                    v.Add($"contentType must be one of {string.Join(", ", SignedUrls.AllowedContentTypes)}", "contentType");
                v.ThrowIfAny();
                var upload = urls.ForUpload(ctx.Principal().CompanyId, Purpose, contentType);
                var metadata = new Dictionary<string, string>
                {
                    ["method"] = "PUT",
                    ["expiresAt"] = upload.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["maxBytes"] = upload.MaxBytes.ToString(CultureInfo.InvariantCulture),
                };
                if (contentType is not null) metadata["contentType"] = contentType;
                return ApiResults.Ok(new AttachmentUploadUrlModel(upload.Url, upload.BlobKey, metadata));
            })
            .WithName("createAttachmentUploadUrl")
            .RequirePermission(Permissions.Write("attachments"));

        app.MapPost("/v1/attachments", async (HttpContext ctx, SignedUrls urls, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var r = await RequestBody.ReadAsync<CreateAttachmentRequest>(ctx);
                var principal = ctx.Principal();
                var v = new Validation();
                v.Required(r.ResourceId, "resourceId");
                v.Required(r.DocumentKey, "documentKey");
                v.Required(r.FileName, "fileName");
                v.MaxLength(r.FileName, 255, "fileName");
                v.MaxLength(r.Metadata?.Type, 50, "metadata", "type");
                v.ThrowIfAny();

                await using var conn = await db.OpenConnectionAsync();
                var blob = await urls.FindUploadAsync(principal.CompanyId, r.DocumentKey!, conn);
                if (blob is null) v.Add($"No file was uploaded under documentKey '{r.DocumentKey}'", "documentKey");
                else if (r.ContentType is { Length: > 0 } given && SignedUrls.NormalizeMediaType(given) != blob.ContentType)
                    v.Add($"contentType '{given}' differs from the uploaded file's {blob.ContentType}", "contentType");
                v.ThrowIfAny();

                var now = clock.GetUtcNow().UtcDateTime;
                var row = await conn.QuerySingleAsync<AttachmentRow>($"""
                    INSERT INTO attachments (company_id, id, resource_id, document_key, file_name, content_type, metadata_type, created_by, created_at, updated_at)
                    VALUES (@companyId, @id, @resourceId, @key, @fileName, @contentType, @metadataType, @createdBy, @now, @now)
                    RETURNING {AttachmentRow.Columns}
                    """, new
                {
                    companyId = principal.CompanyId, id = Ids.New(), resourceId = r.ResourceId, key = blob!.Key, fileName = r.FileName!.Trim(),
                    contentType = blob.ContentType, metadataType = r.Metadata?.Type, createdBy = principal.UserId ?? principal.CredentialId, now,
                });
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("createAttachment")
            .RequirePermission(Permissions.Write("attachments"));

        app.MapGet("/v1/attachments", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var raw = ctx.Request.Query["resourceId"].ToString();
                if (raw.Length == 0) throw ApiException.MissingParameter("resourceId");
                var resourceId = Ids.Parse(raw, "resourceId");
                await using var conn = await db.OpenConnectionAsync();
                var rows = await conn.QueryAsync<AttachmentRow>($"""
                    SELECT {AttachmentRow.Columns} FROM attachments WHERE company_id = @companyId AND resource_id = @resourceId
                    ORDER BY created_at, id LIMIT {MaxPerResource}
                    """, new { companyId = ctx.Principal().CompanyId, resourceId });
                return ApiResults.Ok(rows.Select(a => a.ToModel()).ToList());
            })
            .WithName("getAttachments")
            .RequirePermission(Permissions.Read("attachments"));

        app.MapDelete("/v1/attachments/{attachmentId}", async (string attachmentId, HttpContext ctx, NpgsqlDataSource db) =>
            {
                var id = Ids.Parse(attachmentId, "attachmentId");
                await using var conn = await db.OpenConnectionAsync();
                var row = await conn.QuerySingleOrDefaultAsync<AttachmentRow>(
                              $"DELETE FROM attachments WHERE company_id = @companyId AND id = @id RETURNING {AttachmentRow.Columns}",
                              new { companyId = ctx.Principal().CompanyId, id })
                          ?? throw ApiException.NotFound("Attachment");
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("deleteAttachment")
            .RequirePermission(Permissions.Write("attachments"));

        app.MapGet("/v1/attachments/{attachmentId}/document", async (string attachmentId, HttpContext ctx, NpgsqlDataSource db, SignedUrls urls) =>
            {
                var id = Ids.Parse(attachmentId, "attachmentId");
                await using var conn = await db.OpenConnectionAsync();
                var key = await conn.ExecuteScalarAsync<string?>(
                              "SELECT document_key FROM attachments WHERE company_id = @companyId AND id = @id",
                              new { companyId = ctx.Principal().CompanyId, id })
                          ?? throw ApiException.NotFound("Attachment");
                return Results.Redirect(urls.ForDownload(key).Url);
            })
            .WithName("getAttachmentDocument")
            .RequirePermission(Permissions.Read("attachments"));
    }
}
