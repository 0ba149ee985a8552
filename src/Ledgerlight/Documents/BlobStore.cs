using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Ledgerlight.Documents;

/// <summary>Where uploaded bytes live. Keys are "{companyId}/{purpose}/{id}" (see <see cref="BlobKeys"/>).</summary>
public interface IBlobStore
{
    /// <summary>Stores the stream under the key (all or nothing) and returns its size and SHA-256.</summary>
    Task<(long SizeBytes, byte[] Sha256)> WriteAsync(string key, Stream content, CancellationToken ct);

    /// <summary>The stored bytes, or null when nothing is stored under the key.</summary>
    Stream? OpenRead(string key);

    Task DeleteAsync(string key);
}

public static partial class BlobKeys
{
    /// <summary>A new key for an upload: the company id first, so a key always names its tenant.</summary>
    public static string New(Guid companyId, string purpose) => $"{companyId:D}/{purpose}/{Guid.CreateVersion7():D}";

    public static bool IsValidPurpose(string purpose) => PurposePattern().IsMatch(purpose);

    public static bool IsWellFormed(string key) => KeyPattern().IsMatch(key);

    /// <summary>The company a key belongs to, or null for anything that is not a well-formed key.</summary>
    public static Guid? CompanyOf(string key) =>
        IsWellFormed(key) && Guid.TryParse(key[..36], out var id) ? id : null;

    public static bool BelongsTo(string key, Guid companyId) => CompanyOf(key) == companyId;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex PurposePattern();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[a-z0-9][a-z0-9-]{0,39}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex KeyPattern();
}

/// <summary>
/// Blobs as files under one folder: "{root}/{companyId}/{purpose}/{id}". A write goes to a temporary
/// file first and is renamed into place, so a reader never sees half a file. Keys are checked
/// against <see cref="BlobKeys"/>' pattern, so no key can reach outside the folder.
/// </summary>
public sealed class LocalFolderBlobStore(string root) : IBlobStore
{
    public string Root { get; } = Path.GetFullPath(root);

    string PathOf(string key)
    {
        if (!BlobKeys.IsWellFormed(key)) throw new ArgumentException($"Malformed blob key '{key}'", nameof(key));
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public async Task<(long SizeBytes, byte[] Sha256)> WriteAsync(string key, Stream content, CancellationToken ct)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            long size;
            byte[] hash;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[64 * 1024];
                size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
                await file.FlushAsync(ct);
                hash = sha.GetHashAndReset();
            }
            File.Move(temp, target, overwrite: true);
            return (size, hash);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public Stream? OpenRead(string key)
    {
        var path = PathOf(key);
        return File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true)
            : null;
    }

    public Task DeleteAsync(string key)
    {
        var path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }
}
