using Microsoft.AspNetCore.Http.Features;

namespace Ledgerlight.Documents;

/// <summary>
/// <c>PUT|GET /files/{token}</c>: outside /v1, no API key: the signed token is the credential
/// (see <see cref="SignedUrls"/>). Errors use the Light envelope.
/// </summary>
public static class FileApi
{
    public static void MapFileApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/files/{token}", async (string token, HttpContext ctx, SignedUrls urls, IBlobStore blobs, NpgsqlDataSource db, TimeProvider clock) =>
        {
            var grant = Grant(urls, token, "PUT");
            var companyId = BlobKeys.CompanyOf(grant.BlobKey)!.Value;
            var contentType = ctx.Request.ContentType is { Length: > 0 } raw ? SignedUrls.NormalizeMediaType(raw) : null;
            if (contentType is null || !SignedUrls.AllowedContentTypes.Contains(contentType) || (grant.ContentType is { } pinned && pinned != contentType))
                throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", grant.ContentType is { } only
                    ? $"This upload URL accepts only Content-Type {only}"
                    : $"Content-Type '{ctx.Request.ContentType}' is not accepted; use one of {string.Join(", ", SignedUrls.AllowedContentTypes)}");
            if (ctx.Request.ContentLength > grant.MaxBytes) throw TooLarge(grant.MaxBytes);
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = grant.MaxBytes + 1;

            if (await urls.FindUploadAsync(companyId, grant.BlobKey) is not null) throw AlreadyUploaded();
            await using var staged = await blobs.StageAsync(grant.BlobKey, new LimitedStream(ctx.Request.Body, grant.MaxBytes), ctx.RequestAborted);
            var size = staged.SizeBytes;

            await using var conn = await db.OpenConnectionAsync(); // only now: a slow upload holds no pooled connection

            // The record claims the key; a concurrent upload to the same URL waits on it and then finds it
            // taken. The file is published (create-only) before the record commits, so a committed record
            // always has its file, and a crash in between leaves only an unrecorded file nobody can read.
            await using var tx = await conn.BeginTransactionAsync(ctx.RequestAborted);
            var inserted = await conn.ExecuteAsync("""
                INSERT INTO blobs (company_id, key, content_type, size_bytes, sha256, uploaded_at)
                VALUES (@companyId, @key, @contentType, @size, @sha, @now) ON CONFLICT DO NOTHING
                """, new { companyId, key = grant.BlobKey, contentType, size, sha = staged.Sha256, now = clock.GetUtcNow().UtcDateTime }, tx);
            if (inserted == 0) throw AlreadyUploaded();
            try
            {
                staged.Publish();
            }
            catch (BlobExistsException)
            {
                throw AlreadyUploaded(); // left by an attempt that crashed before its record committed
            }
            // Should the commit fail, the file stays: the outcome of a failed commit is not certain, and an
            // unrecorded file is harmless (downloads go through the record) while a record without its file is not.
            await tx.CommitWriteAsync(CancellationToken.None);
            return ApiResults.Ok(new { key = grant.BlobKey, contentType, size });
        }).WithName("uploadFile");

        app.MapGet("/files/{token}", async (string token, HttpContext ctx, SignedUrls urls, IBlobStore blobs) =>
        {
            var grant = Grant(urls, token, "GET");
            var blob = await urls.FindUploadAsync(BlobKeys.CompanyOf(grant.BlobKey)!.Value, grant.BlobKey) ?? throw ApiException.NotFound("File");
            var stream = blobs.OpenRead(grant.BlobKey) ?? throw ApiException.NotFound("File");
            // Uploaded bytes are whatever the uploader sent: the browser must not guess a type (a "text/plain"
            // file holding HTML) nor render anything but images and PDFs on this server's origin.
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.ContentDisposition = ServesInline(blob.ContentType) ? "inline" : "attachment";
            return Results.Stream(stream, blob.ContentType);
        }).WithName("downloadFile");
    }

    /// <summary>Types a browser may show in place: raster images and PDF (never SVG, HTML or XML, which can run script).</summary>
    static readonly IReadOnlySet<string> InlineContentTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic",
    };

    public static bool ServesInline(string contentType) => InlineContentTypes.Contains(SignedUrls.NormalizeMediaType(contentType));

    static FileGrant Grant(SignedUrls urls, string token, string method)
    {
        var grant = urls.Verify(token);
        if (grant is null || grant.Method != method)
            throw ApiException.Forbidden("This signed URL is invalid or has expired");
        return grant;
    }

    static ApiException AlreadyUploaded() => ApiException.Conflict("A file was already uploaded with this URL; ask for a new upload URL");

    static ApiException TooLarge(long max) => new(413, "PAYLOAD_TOO_LARGE", $"The file exceeds the limit of {max} bytes for this upload URL");

    /// <summary>Reads through to the request body and fails with 413 past the limit (chunked bodies have no Content-Length).</summary>
    sealed class LimitedStream(Stream inner, long max) : Stream
    {
        long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        int Count(int n)
        {
            _read += n;
            if (_read > max) throw TooLarge(max);
            return n;
        }
    }
}
