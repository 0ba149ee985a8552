using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ledgerlight.Documents;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ledgerlight.Tests.Documents;

public class AttachmentTests(ApiServer server) : IClassFixture<ApiServer>
{
    static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    /// <summary>PUT to a signed URL as a browser or S3 client would: raw bytes, no API key.</summary>
    public static async Task<HttpResponseMessage> PutFileAsync(string url, byte[] bytes, string contentType, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (chunked) content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        if (chunked) request.Headers.TransferEncodingChunked = true;
        return await Http.SendAsync(request);
    }

    string Absolute(string url) => url.StartsWith("/") ? new Uri(server.BaseAddress, url).ToString() : url;

    async Task<(string Url, string Key)> UploadUrlAsync(ApiClient client, Guid resourceId, string? contentType = "application/pdf")
    {
        var json = (await client.PostAsync("/v1/attachments/upload-url", new { resourceId, fileName = "invoice.pdf", contentType })).AssertOk();
        return (json["uploadUrl"]!.GetValue<string>(), json["key"]!.GetValue<string>());
    }

    static async Task AssertEnvelope(HttpResponseMessage response, int status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Contains($"\"type\":\"{type}\"", body);
    }

    [Fact]
    public async Task Upload_attach_list_download_and_delete()
    {
        var resourceId = Guid.NewGuid();
        var (url, key) = await UploadUrlAsync(server.Admin, resourceId);
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/files/", url);
        Assert.StartsWith(server.Company.CompanyId.ToString(), key);
        var bytes = Encoding.ASCII.GetBytes("%PDF-1.4 pretend invoice " + new string('x', 100_000));
        var put = await PutFileAsync(url, bytes, "application/pdf");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // The same URL cannot overwrite the file once it is there.
        await AssertEnvelope(await PutFileAsync(url, bytes, "application/pdf"), 409, "CONFLICT");

        var created = (await server.Admin.PostAsync("/v1/attachments",
            new { resourceId, documentKey = key, fileName = "invoice.pdf", metadata = new { type = "AR" } })).AssertOk();
        Assert.Equal("application/pdf", created["contentType"]!.GetValue<string>());
        Assert.Equal("AR", created["metadata"]!["type"]!.GetValue<string>());
        var id = created["id"]!.GetValue<string>();

        var list = (await server.Viewer.GetAsync($"/v1/attachments?resourceId={resourceId}")).AssertOk().AsArray();
        Assert.Equal(id, Assert.Single(list)!["id"]!.GetValue<string>());

        var redirect = await server.Viewer.GetAsync($"/v1/attachments/{id}/document");
        Assert.Equal(302, redirect.Code);
        var location = redirect.Headers.Location!.ToString();
        // A client following the redirect forwards its Authorization header: the file must still come back.
        using var follow = new HttpRequestMessage(HttpMethod.Get, Absolute(location));
        follow.Headers.TryAddWithoutValidation("Authorization", $"Basic {server.Viewer.Key}");
        var download = await Http.SendAsync(follow);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        // The upload URL is not a download URL, and vice versa.
        await AssertEnvelope(await Http.GetAsync(url), 403, "FORBIDDEN");
        await AssertEnvelope(await PutFileAsync(Absolute(location), bytes, "application/pdf"), 403, "FORBIDDEN");

        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/attachments/{id}")).AssertOk();
        Assert.Empty((await server.Admin.GetAsync($"/v1/attachments?resourceId={resourceId}")).AssertOk().AsArray());
        (await server.Admin.GetAsync($"/v1/attachments/{id}/document")).AssertError(404, "NOT_FOUND");
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/attachments/{id}")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Without_a_configured_public_url_signed_urls_use_the_listening_address_not_the_Host_header()
    {
        var forged = new Dictionary<string, string> { ["Host"] = "attacker.example" };
        var json = (await server.Admin.PostAsync("/v1/attachments/upload-url", new { resourceId = Guid.NewGuid() }, forged)).AssertOk();
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/files/", json["uploadUrl"]!.GetValue<string>());
        var direct = server.Services.GetRequiredService<SignedUrls>().ForDownload($"{server.Company.CompanyId}/attachments/{Guid.NewGuid()}");
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/files/", direct.Url);
    }

    [Fact]
    public async Task Tampered_and_expired_urls_are_refused()
    {
        var (url, _) = await UploadUrlAsync(server.Admin, Guid.NewGuid());
        var token = url[(url.LastIndexOf('/') + 1)..];
        var dot = token.IndexOf('.');
        // Flip one character of the signature, then of the payload.
        var badSig = token[..(dot + 1)] + (token[dot + 1] == 'A' ? 'B' : 'A') + token[(dot + 2)..];
        var badPayload = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        foreach (var t in new[] { badSig, badPayload, "garbage", "a.b" })
            await AssertEnvelope(await PutFileAsync(Absolute($"/files/{t}"), [1, 2, 3], "application/pdf"), 403, "FORBIDDEN");

        var urls = server.Services.GetRequiredService<SignedUrls>();
        var expired = urls.ForUpload(server.Company.CompanyId, "attachments", "text/plain", 100, lifetime: TimeSpan.FromSeconds(-1));
        await AssertEnvelope(await PutFileAsync(Absolute(expired.Url), [1, 2, 3], "text/plain"), 403, "FORBIDDEN");
        var expiredDownload = urls.ForDownload(expired.BlobKey, lifetime: TimeSpan.FromSeconds(-1));
        await AssertEnvelope(await Http.GetAsync(Absolute(expiredDownload.Url)), 403, "FORBIDDEN");
    }

    [Fact]
    public async Task Size_and_content_type_limits()
    {
        var urls = server.Services.GetRequiredService<SignedUrls>();
        var small = urls.ForUpload(server.Company.CompanyId, "attachments", null, maxBytes: 1000);
        await AssertEnvelope(await PutFileAsync(Absolute(small.Url), new byte[1001], "text/plain"), 413, "PAYLOAD_TOO_LARGE");
        await AssertEnvelope(await PutFileAsync(Absolute(small.Url), new byte[5000], "text/plain", chunked: true), 413, "PAYLOAD_TOO_LARGE");
        await AssertEnvelope(await PutFileAsync(Absolute(small.Url), new byte[10], "application/x-msdownload"), 415, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Null(await urls.FindUploadAsync(server.Company.CompanyId, small.BlobKey));
        Assert.Equal(HttpStatusCode.OK, (await PutFileAsync(Absolute(small.Url), new byte[1000], "text/csv")).StatusCode);
        Assert.Equal(1000, (await urls.FindUploadAsync(server.Company.CompanyId, small.BlobKey))!.SizeBytes);

        // A URL issued for a PDF takes only a PDF.
        var (pdfUrl, _) = await UploadUrlAsync(server.Admin, Guid.NewGuid());
        await AssertEnvelope(await PutFileAsync(pdfUrl, new byte[10], "image/png"), 415, "UNSUPPORTED_MEDIA_TYPE");
        (await server.Admin.PostAsync("/v1/attachments/upload-url", new { resourceId = Guid.NewGuid(), contentType = "application/zip" }))
            .AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Validation_tenancy_and_roles()
    {
        var resourceId = Guid.NewGuid();
        (await server.Admin.PostAsync("/v1/attachments", new { resourceId, documentKey = "nope", fileName = "a.pdf" })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync("/v1/attachments", new { documentKey = "x" })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/attachments")).AssertError(400, "MISSING_PARAMETER");
        (await server.Admin.GetAsync("/v1/attachments/not-a-uuid/document")).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.PostAsync("/v1/attachments/upload-url", new { resourceId })).AssertError(403, "FORBIDDEN");

        var (url, key) = await UploadUrlAsync(server.Admin, resourceId);
        Assert.Equal(HttpStatusCode.OK, (await PutFileAsync(url, [1, 2, 3], "application/pdf")).StatusCode);
        (await server.Viewer.PostAsync("/v1/attachments", new { resourceId, documentKey = key, fileName = "a.pdf" })).AssertError(403, "FORBIDDEN");
        var id = (await server.Admin.PostAsync("/v1/attachments", new { resourceId, documentKey = key, fileName = "a.pdf" })).AssertOk()["id"]!.GetValue<string>();

        var other = await server.CreateTenantAsync("Other Attachments Co", "EUR");
        // Another company can neither attach this company's upload nor see or touch its attachment.
        (await other.Admin.PostAsync("/v1/attachments", new { resourceId, documentKey = key, fileName = "a.pdf" })).AssertError(400, "BAD_REQUEST");
        Assert.Empty((await other.Admin.GetAsync($"/v1/attachments?resourceId={resourceId}")).AssertOk().AsArray());
        (await other.Admin.GetAsync($"/v1/attachments/{id}/document")).AssertError(404, "NOT_FOUND");
        (await other.Admin.SendAsync(HttpMethod.Delete, $"/v1/attachments/{id}")).AssertError(404, "NOT_FOUND");
        (await server.Viewer.SendAsync(HttpMethod.Delete, $"/v1/attachments/{id}")).AssertError(403, "FORBIDDEN");
    }
}
