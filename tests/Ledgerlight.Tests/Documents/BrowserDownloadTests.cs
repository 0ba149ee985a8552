using System.Net;
using System.Net.Sockets;
using System.Text;
using Ledgerlight.Hosting;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.OAuth;
using Xunit;

namespace Ledgerlight.Tests.Documents;

/// <summary>A server that lets pages of one origin (a port chosen up front, named localhost) download documents.</summary>
public class BrowserDownloadServer : ApiServer
{
    public static readonly int PagePort = FreePort();
    public static string PageOrigin => $"http://localhost:{PagePort}";

    static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    protected override ServerOptions Customize(ServerOptions options) => options with { BrowserOrigins = [PageOrigin] };
}

/// <summary>
/// Downloads from a web page of another origin (Light's OPTIONS operations on the document paths): the configured origin's
/// preflight and download carry Access-Control-Allow-Origin, any other origin gets no CORS header, and a real chromium page
/// reads an attachment through the redirect to its signed URL.
/// </summary>
public class BrowserDownloadTests(BrowserDownloadServer server) : IClassFixture<BrowserDownloadServer>
{
    static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    async Task<string> AttachmentAsync(string text)
    {
        var resourceId = Guid.NewGuid();
        var upload = (await server.Admin.PostAsync("/v1/attachments/upload-url", new { resourceId, fileName = "note.pdf", contentType = "application/pdf" })).AssertOk();
        var put = await AttachmentTests.PutFileAsync(upload["uploadUrl"]!.GetValue<string>(), Encoding.ASCII.GetBytes(text), "application/pdf");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return (await server.Admin.PostAsync("/v1/attachments", new { resourceId, documentKey = upload["key"]!.GetValue<string>(), fileName = "note.pdf" }))
            .AssertOk()["id"]!.GetValue<string>();
    }

    static async Task<HttpResponseMessage> PreflightAsync(Uri url, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await Http.SendAsync(request);
    }

    static string? AllowOrigin(HttpResponseMessage r) => r.Headers.TryGetValues("Access-Control-Allow-Origin", out var v) ? v.Single() : null;

    [Fact]
    public async Task Only_the_configured_origin_may_read_a_download_and_a_preflight_needs_no_credentials()
    {
        var id = await AttachmentAsync("%PDF-1.4 cors");
        var document = new Uri(server.BaseAddress, $"/v1/attachments/{id}/document");

        using var allowed = await PreflightAsync(document, BrowserDownloadServer.PageOrigin);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(BrowserDownloadServer.PageOrigin, AllowOrigin(allowed));
        Assert.Contains("Authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single());
        using var other = await PreflightAsync(document, "https://evil.example");
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        Assert.Null(AllowOrigin(other));
        // The rest of the API stays same-origin: no CORS answer for, say, the vendor list.
        using var api = await PreflightAsync(new Uri(server.BaseAddress, "/v1/vendors"), BrowserDownloadServer.PageOrigin);
        Assert.Null(AllowOrigin(api));

        using var get = new HttpRequestMessage(HttpMethod.Get, document);
        get.Headers.Add("Origin", BrowserDownloadServer.PageOrigin);
        get.Headers.TryAddWithoutValidation("Authorization", $"Basic {server.Admin.Key}");
        using var redirect = await Http.SendAsync(get);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(BrowserDownloadServer.PageOrigin, AllowOrigin(redirect));
        using var file = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, redirect.Headers.Location!));
        file.Headers.Add("Origin", BrowserDownloadServer.PageOrigin);
        using var downloaded = await Http.SendAsync(file);
        Assert.Equal((HttpStatusCode.OK, BrowserDownloadServer.PageOrigin), (downloaded.StatusCode, AllowOrigin(downloaded)));
    }

    [Fact]
    public async Task A_chromium_page_of_the_configured_origin_downloads_an_attachment_and_another_origin_cannot()
    {
        var text = "%PDF-1.4 read by a page of another origin";
        var id = await AttachmentAsync(text);
        var document = new Uri(server.BaseAddress, $"/v1/attachments/{id}/document");
        // The page an integration's front end would serve: fetch with the API key, follow the redirect, show what came back.
        var page = $$"""
            <!doctype html><title>loading</title><script>
            fetch("{{document}}", { headers: { Authorization: "Basic {{server.Admin.Key}}" } })
              .then(r => r.ok ? r.text() : Promise.reject(new Error("status " + r.status)))
              .then(t => { document.title = "read " + t.length; }, e => { document.title = "refused"; });
            </script>
            """;
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://localhost:{BrowserDownloadServer.PagePort}/");
        listener.Prefixes.Add($"http://127.0.0.1:{BrowserDownloadServer.PagePort}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await listener.GetContextAsync(); } catch (Exception) { return; }
                var bytes = Encoding.UTF8.GetBytes(page);
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
        });

        using var driver = OAuthBrowserTests.StartBrowser();
        string TitleAfterLoading(string url)
        {
            driver.Navigate().GoToUrl(url);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (driver.Title == "loading" && DateTime.UtcNow < deadline) Thread.Sleep(100);
            return driver.Title;
        }
        Assert.Equal($"read {text.Length}", TitleAfterLoading($"{BrowserDownloadServer.PageOrigin}/"));
        // The same page served as http://127.0.0.1:port is another origin, which nobody configured.
        Assert.Equal("refused", TitleAfterLoading($"http://127.0.0.1:{BrowserDownloadServer.PagePort}/"));
        listener.Stop();
        await serving;
    }
}

/// <summary>Which paths get CORS at all, without a server: the three download paths and nothing else.</summary>
public class BrowserDownloadPathTests
{
    [Theory]
    [InlineData("/files/abc.def", true)]
    [InlineData("/v1/attachments/0193/document", true)]
    [InlineData("/v1/card-transactions/0193/receipt", true)]
    [InlineData("/v1/card-transactions/0193/receipt/", true)]
    [InlineData("/files/", false)]
    [InlineData("/files/a/b", false)]
    [InlineData("/v1/attachments/0193", false)]
    [InlineData("/v1/attachments/0193/document/x", false)]
    [InlineData("/v1/attachments//document", false)]
    [InlineData("/v1/card-transactions/0193/receipt-upload-url", false)]
    [InlineData("/v1/vendors", false)]
    public void Only_the_download_paths_are_browser_readable(string path, bool expected) =>
        Assert.Equal(expected, Ledgerlight.Platform.BrowserDownloadsMiddleware.IsDownload(new Microsoft.AspNetCore.Http.PathString(path)));
}
