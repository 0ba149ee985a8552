using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.Documents;

public sealed record SignedUpload(string Url, string BlobKey, DateTimeOffset ExpiresAt, long MaxBytes, string? ContentType);
public sealed record SignedDownload(string Url, DateTimeOffset ExpiresAt);
public sealed record BlobInfo(Guid CompanyId, string Key, string ContentType, long SizeBytes, DateTime UploadedAt);

/// <summary>What a /files token grants, once its signature and expiry have been checked.</summary>
public sealed record FileGrant(string Method, string BlobKey, DateTimeOffset ExpiresAt, long MaxBytes, string? ContentType);

/// <summary>
/// Signed URLs on this server (<c>/files/{token}</c>): the token carries method, blob key, expiry,
/// maximum size and content type, and an HMAC-SHA256 over them with the server secret, so the URL
/// alone is the credential. Other areas call <see cref="ForUpload"/> to hand out an upload URL,
/// <see cref="FindUploadAsync"/> to check the upload arrived, and <see cref="ForDownload"/>.
/// </summary>
public sealed class SignedUrls(NpgsqlDataSource db, TimeProvider clock, PublicBaseUrl publicUrl)
{
    public static readonly TimeSpan UploadLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DownloadLifetime = TimeSpan.FromMinutes(5);
    public const long DefaultMaxBytes = 25L * 1024 * 1024;

    /// <summary>Media types a signed upload accepts.</summary>
    public static readonly IReadOnlySet<string> AllowedContentTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic", "text/plain", "text/csv",
        "application/xml", "text/xml",
    };

    const string SecretName = "files-url-signing-key";
    byte[]? _secret;

    /// <summary>Loads (or on the very first start creates) the signing secret shared by every instance.</summary>
    public async Task LoadSecretAsync()
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("INSERT INTO server_secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
            new { name = SecretName, value = RandomNumberGenerator.GetBytes(32) });
        _secret = await conn.ExecuteScalarAsync<byte[]>("SELECT value FROM server_secrets WHERE name = @name", new { name = SecretName });
    }

    byte[] Secret => _secret ?? throw new InvalidOperationException("SignedUrls.LoadSecretAsync has not run");

    /// <summary>
    /// An upload URL for a new blob of the company. <paramref name="purpose"/> groups blobs (e.g.
    /// "attachments", "bills"); <paramref name="contentType"/>, when given, is the only type the
    /// upload may carry (otherwise any of <see cref="AllowedContentTypes"/>).
    /// </summary>
    public SignedUpload ForUpload(Guid companyId, string purpose, string? contentType = null, long maxBytes = DefaultMaxBytes,
        TimeSpan? lifetime = null)
    {
        if (!BlobKeys.IsValidPurpose(purpose)) throw new ArgumentException($"Invalid purpose '{purpose}'", nameof(purpose));
        if (maxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytes));
        if (contentType is not null) contentType = NormalizeMediaType(contentType);
        var key = BlobKeys.New(companyId, purpose);
        var expiresAt = Expiry(lifetime ?? UploadLifetime);
        var grant = new FileGrant("PUT", key, expiresAt, maxBytes, contentType);
        return new SignedUpload(UrlFor(Sign(grant)), key, expiresAt, maxBytes, contentType);
    }

    /// <summary>A short-lived URL that streams the blob back.</summary>
    public SignedDownload ForDownload(string blobKey, TimeSpan? lifetime = null)
    {
        if (!BlobKeys.IsWellFormed(blobKey)) throw new ArgumentException($"Malformed blob key '{blobKey}'", nameof(blobKey));
        var expiresAt = Expiry(lifetime ?? DownloadLifetime);
        return new SignedDownload(UrlFor(Sign(new FileGrant("GET", blobKey, expiresAt, 0, null))), expiresAt);
    }

    /// <summary>The uploaded blob, or null when nothing was uploaded under the key (or it is another company's).</summary>
    public async Task<BlobInfo?> FindUploadAsync(Guid companyId, string blobKey, NpgsqlConnection? conn = null, NpgsqlTransaction? tx = null)
    {
        if (!BlobKeys.BelongsTo(blobKey, companyId)) return null;
        const string sql = """
            SELECT company_id AS CompanyId, key AS Key, content_type AS ContentType, size_bytes AS SizeBytes, uploaded_at AS UploadedAt FROM blobs WHERE company_id = @companyId AND key = @blobKey
            """;
        if (conn is not null) return await conn.QuerySingleOrDefaultAsync<BlobInfo>(sql, new { companyId, blobKey }, tx);
        await using var own = await db.OpenConnectionAsync();
        return await own.QuerySingleOrDefaultAsync<BlobInfo>(sql, new { companyId, blobKey });
    }

    DateTimeOffset Expiry(TimeSpan lifetime)
    {
        var at = clock.GetUtcNow() + lifetime;
        return DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());
    }

    /// <summary>Always on the configured public address, never on the request's Host (see <see cref="PublicBaseUrl"/>).</summary>
    string UrlFor(string token) => $"{publicUrl.Value}/files/{token}";

    static string Canonical(FileGrant g) => string.Join('\n', "v1", g.Method, g.BlobKey,
        g.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), g.MaxBytes.ToString(CultureInfo.InvariantCulture),
        g.ContentType ?? "");

    string Sign(FileGrant grant)
    {
        var payload = Encoding.UTF8.GetBytes(Canonical(grant));
        var mac = HMACSHA256.HashData(Secret, payload);
        return $"{Base64Url(payload)}.{Base64Url(mac)}";
    }

    /// <summary>The grant a token carries, or null when it is malformed, tampered with or expired.</summary>
    public FileGrant? Verify(string token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || token.Length > 2048) return null;
        byte[] payload, mac;
        try
        {
            payload = FromBase64Url(token[..dot]);
            mac = FromBase64Url(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(Secret, payload))) return null;
        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts.Length != 6 || parts[0] != "v1"
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var maxBytes)
            || !BlobKeys.IsWellFormed(parts[2]))
            return null;
        var grant = new FileGrant(parts[1], parts[2], DateTimeOffset.FromUnixTimeSeconds(expiry), maxBytes, parts[5].Length == 0 ? null : parts[5]);
        return grant.ExpiresAt > clock.GetUtcNow() ? grant : null;
    }

    /// <summary>
    /// The one check of an upload request's media type and file name: the type (when given, or when
    /// <paramref name="required"/>) must be one the blob store accepts, the name at most 255 characters.
    /// </summary>
    public static void CheckUpload(Validation v, string? contentType, bool required, string? fileName, string fileNameField)
    {
        if (required) v.Required(contentType, "contentType");
        if (contentType is { Length: > 0 } type && !AllowedContentTypes.Contains(NormalizeMediaType(type)))
            v.Add($"Content type '{type}' is not accepted; use one of {string.Join(", ", AllowedContentTypes)}", "contentType");
        v.MaxLength(fileName, 255, fileNameField);
    }

    public static string NormalizeMediaType(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant();

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }
}
