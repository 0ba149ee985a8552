namespace Ledgerlight.Documents.Attachments;

/// <summary>SQL of attachments; every statement is scoped to the company.</summary>
public sealed class AttachmentStore(NpgsqlDataSource db, SignedUrls urls, TimeProvider clock)
{
    /// <summary>At most this many attachments are listed per record.</summary>
    public const int MaxPerResource = 1000;

    /// <summary>Attaches an uploaded file; 400 when nothing was uploaded under the key or the content type differs from the upload's.</summary>
    public async Task<AttachmentRow> CreateAsync(Principal principal, CreateAttachmentRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        var blob = await urls.FindUploadAsync(principal.CompanyId, r.DocumentKey!, conn);
        var v = new Validation();
        if (blob is null) v.Add($"No file was uploaded under documentKey '{r.DocumentKey}'", "documentKey");
        else if (r.ContentType is { Length: > 0 } given && SignedUrls.NormalizeMediaType(given) != blob.ContentType)
            v.Add($"contentType '{given}' differs from the uploaded file's {blob.ContentType}", "contentType");
        v.ThrowIfAny();
        return await conn.QuerySingleAsync<AttachmentRow>($"""
            INSERT INTO attachments (company_id, id, resource_id, document_key, file_name, content_type, metadata_type, created_by, created_at, updated_at)
            VALUES (@companyId, @id, @resourceId, @key, @fileName, @contentType, @metadataType, @createdBy, @now, @now)
            RETURNING {AttachmentRow.Columns}
            """, new
        {
            companyId = principal.CompanyId, id = Ids.New(), resourceId = r.ResourceId, key = blob!.Key, fileName = r.FileName!.Trim(),
            contentType = blob.ContentType, metadataType = r.Metadata?.Type, createdBy = principal.UserId ?? principal.CredentialId,
            now = clock.GetUtcNow().UtcDateTime,
        });
    }

    public async Task<List<AttachmentRow>> ListAsync(Guid companyId, Guid resourceId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<AttachmentRow>($"""
            SELECT {AttachmentRow.Columns} FROM attachments WHERE company_id = @companyId AND resource_id = @resourceId
            ORDER BY created_at, id LIMIT @limit
            """, new { companyId, resourceId, limit = MaxPerResource })).ToList();
    }

    /// <summary>The attachment as it was; null when the company has none of that id. The blob stays in the store.</summary>
    public async Task<AttachmentRow?> DeleteAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<AttachmentRow>(
            $"DELETE FROM attachments WHERE company_id = @companyId AND id = @id RETURNING {AttachmentRow.Columns}", new { companyId, id });
    }

    public async Task<string?> DocumentKeyAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<string?>("SELECT document_key FROM attachments WHERE company_id = @companyId AND id = @id",
            new { companyId, id });
    }
}
