using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Ledgerlight.Documents;
using Ledgerlight.Hosting;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ledgerlight.Tests.Documents;

/// <summary>A server told its public address, as behind a reverse proxy: signed URLs point there.</summary>
public sealed class PublicUrlServer : ApiServer
{
    public const string PublicUrl = "https://books.example.test/ledger";
    protected override ServerOptions Customize(ServerOptions options) => options with { PublicUrl = PublicUrl + "/" };
}

/// <summary>Signed file URLs: where they point, one winner per upload URL, and how uploaded bytes are served back.</summary>
public class FileServingTests(PublicUrlServer server) : IClassFixture<PublicUrlServer>
{
    static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    SignedUrls Urls => server.Services.GetRequiredService<SignedUrls>();
    string BlobRoot => ((LocalFolderBlobStore)server.Services.GetRequiredService<IBlobStore>()).Root;

    /// <summary>The same signed URL on the test server's real address (the public one exists only on paper).</summary>
    string Reachable(string url) => new Uri(server.BaseAddress, "files/" + url[(url.LastIndexOf('/') + 1)..]).ToString();

    static async Task<HttpResponseMessage> PutAsync(string url, HttpContent content, string contentType, CancellationToken ct = default)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        return await Http.SendAsync(request, ct);
    }

    /// <summary>Sends the first bytes at once and the rest only when <paramref name="gate"/> completes: a slow upload.</summary>
    sealed class GatedContent(byte[] first, byte[] rest, Task gate) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
        {
            await stream.WriteAsync(first, ct);
            await stream.FlushAsync(ct);
            await gate.WaitAsync(ct);
            await stream.WriteAsync(rest, ct);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = first.Length + rest.Length;
            return true;
        }
    }

    string[] TempFiles() => Directory.Exists(BlobRoot) ? Directory.GetFiles(BlobRoot, "*.tmp", SearchOption.AllDirectories) : [];

    async Task WaitForTempFileAsync()
    {
        for (var i = 0; i < 200 && TempFiles().Length == 0; i++) await Task.Delay(25);
        Assert.NotEmpty(TempFiles());
    }

    [Fact]
    public async Task Upload_urls_and_document_redirects_use_the_configured_public_url_whatever_the_Host_header()
    {
        var forged = new Dictionary<string, string> { ["Host"] = "attacker.example" };
        var resourceId = Guid.NewGuid();
        var upload = (await server.Admin.PostAsync("/v1/attachments/upload-url", new { resourceId, contentType = "text/plain" }, forged)).AssertOk();
        var url = upload["uploadUrl"]!.GetValue<string>();
        Assert.StartsWith(PublicUrlServer.PublicUrl + "/files/", url);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Reachable(url), new ByteArrayContent("hello"u8.ToArray()), "text/plain")).StatusCode);
        var id = (await server.Admin.PostAsync("/v1/attachments",
            new { resourceId, documentKey = upload["key"]!.GetValue<string>(), fileName = "a.txt" })).AssertOk()["id"]!.GetValue<string>();

        var redirect = await server.Admin.SendAsync(HttpMethod.Get, $"/v1/attachments/{id}/document", headers: forged);
        Assert.Equal(302, redirect.Code);
        Assert.StartsWith(PublicUrlServer.PublicUrl + "/files/", redirect.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Two_uploads_to_one_url_the_first_accepted_wins_and_the_stored_file_matches_its_record()
    {
        var upload = Urls.ForUpload(server.Company.CompanyId, "attachments", "text/plain");
        var slowBytes = Encoding.ASCII.GetBytes("slow " + new string('s', 50_000));
        var fastBytes = Encoding.ASCII.GetBytes("fast upload");
        var release = new TaskCompletionSource();

        // The slow upload starts first and is past the "already uploaded?" check when the fast one arrives.
        var slow = PutAsync(Reachable(upload.Url), new GatedContent(slowBytes[..10], slowBytes[10..], release.Task), "text/plain");
        await WaitForTempFileAsync();
        var fast = await PutAsync(Reachable(upload.Url), new ByteArrayContent(fastBytes), "text/plain");
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        release.SetResult();
        var late = await slow;
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("\"type\":\"CONFLICT\"", await late.Content.ReadAsStringAsync());

        var download = await Http.GetAsync(Reachable(Urls.ForDownload(upload.BlobKey).Url));
        Assert.Equal(fastBytes, await download.Content.ReadAsByteArrayAsync());
        await using var conn = await server.Db.OpenConnectionAsync();
        var record = await conn.QuerySingleAsync<(long Size, byte[] Sha)>(
            "SELECT size_bytes, sha256 FROM blobs WHERE key = @key", new { key = upload.BlobKey });
        var stored = await File.ReadAllBytesAsync(Path.Combine(BlobRoot, upload.BlobKey));
        Assert.Equal(record.Size, stored.Length);
        Assert.Equal(record.Sha, SHA256.HashData(stored));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task An_upload_cut_off_midway_leaves_nothing_and_the_url_still_works()
    {
        var upload = Urls.ForUpload(server.Company.CompanyId, "attachments", "text/plain");
        using var cut = new CancellationTokenSource();
        var never = new TaskCompletionSource();
        var aborted = PutAsync(Reachable(upload.Url), new GatedContent(new byte[1000], new byte[1000], never.Task), "text/plain", cut.Token);
        await WaitForTempFileAsync();
        cut.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted);

        for (var i = 0; i < 200 && TempFiles().Length > 0; i++) await Task.Delay(25);
        Assert.Empty(TempFiles());
        Assert.False(File.Exists(Path.Combine(BlobRoot, upload.BlobKey)));
        Assert.Null(await Urls.FindUploadAsync(server.Company.CompanyId, upload.BlobKey));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Reachable(upload.Url), new ByteArrayContent([1, 2, 3]), "text/plain")).StatusCode);
    }

    async Task<HttpResponseMessage> UploadAndDownloadAsync(string contentType)
    {
        var upload = Urls.ForUpload(server.Company.CompanyId, "attachments", contentType);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Reachable(upload.Url), new ByteArrayContent("<html><script>alert(1)</script>"u8.ToArray()), contentType)).StatusCode);
        var download = await Http.GetAsync(Reachable(Urls.ForDownload(upload.BlobKey).Url));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        return download;
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/csv")]
    [InlineData("application/xml")]
    [InlineData("text/xml")]
    public async Task Other_uploads_are_served_as_attachments_never_sniffed(string contentType)
    {
        var download = await UploadAndDownloadAsync(contentType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(contentType, download.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("application/pdf")]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public async Task Images_and_pdfs_may_show_inline_and_are_never_sniffed(string contentType)
    {
        var download = await UploadAndDownloadAsync(contentType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);
    }
}
