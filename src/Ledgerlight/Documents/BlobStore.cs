using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Ledgerlight.Documents;

/// <summary>Where uploaded bytes live. Keys are "{companyId}/{purpose}/{id}" (see <see cref="BlobKeys"/>).</summary>
public interface IBlobStore
{
    /// <summary>
    /// Writes the stream to a private temporary place and returns it with its size and SHA-256; nothing
    /// is visible under the key until <see cref="IStagedBlob.Publish"/>. Disposing an unpublished
    /// blob throws the bytes away.
    /// </summary>
    Task<IStagedBlob> StageAsync(string key, Stream content, CancellationToken ct);

    /// <summary>Stages and publishes in one go (for keys nobody else can know yet); returns size and SHA-256.</summary>
    async Task<(long SizeBytes, byte[] Sha256)> WriteAsync(string key, Stream content, CancellationToken ct)
    {
        await using var staged = await StageAsync(key, content, ct);
        staged.Publish();
        return (staged.SizeBytes, staged.Sha256);
    }

    /// <summary>The stored bytes, or null when nothing is stored under the key.</summary>
    Stream? OpenRead(string key);

    Task DeleteAsync(string key);
}

/// <summary>Bytes written but not yet visible under their key (see <see cref="IBlobStore.StageAsync"/>).</summary>
public interface IStagedBlob : IAsyncDisposable
{
    long SizeBytes { get; }
    byte[] Sha256 { get; }

    /// <summary>
    /// Makes the bytes visible under the key, create-only and atomically: a reader sees either nothing
    /// or the whole file. Throws <see cref="BlobExistsException"/> when something is already stored there.
    /// </summary>
    void Publish();
}

public sealed class BlobExistsException(string key) : IOException($"A blob is already stored under '{key}'");

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
/// file first ("….tmp", a name no key can have) and is then hard-linked into place, which fails when
/// the name exists: the first publisher wins, a later one can never replace the file, and a crash
/// leaves at most a stray temporary file, never a partial blob under a key. Keys are checked against
/// <see cref="BlobKeys"/>' pattern, so no key can reach outside the folder.
/// </summary>
public sealed class LocalFolderBlobStore(string root) : IBlobStore
{
    public string Root { get; } = Path.GetFullPath(root);

    string PathOf(string key)
    {
        if (!BlobKeys.IsWellFormed(key)) throw new ArgumentException($"Malformed blob key '{key}'", nameof(key));
        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public async Task<IStagedBlob> StageAsync(string key, Stream content, CancellationToken ct)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true); // durable before it can be published and recorded
                return new StagedFile(key, temp, target, size, sha.GetHashAndReset());
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    sealed class StagedFile(string key, string temp, string target, long size, byte[] sha256) : IStagedBlob
    {
        public long SizeBytes => size;
        public byte[] Sha256 => sha256;

        public void Publish()
        {
            // link(2) never replaces an existing name (rename(2) would): create-only and atomic.
            if (Link(temp, target) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EEXIST) throw new BlobExistsException(key);
                throw new IOException($"Could not publish blob '{key}' (errno {errno})");
            }
            File.Delete(temp);
        }

        public ValueTask DisposeAsync()
        {
            File.Delete(temp); // no-op once published
            return ValueTask.CompletedTask;
        }
    }

    const int EEXIST = 17;

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link(string oldPath, string newPath);

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
