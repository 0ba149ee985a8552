using System.Net;
using System.Net.Sockets;
using Ledgerlight.Tests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit;
using Xunit.Abstractions;
using static Ledgerlight.Tests.OAuth.OAuthKit;

namespace Ledgerlight.Tests.OAuth;

/// <summary>
/// The flow as a real integration runs it: Debian's headless chromium (through its chromedriver, never a
/// downloaded browser) opens the authorize URL, signs in, consents and lands on the client's redirect
/// URI — a small HTTP listener standing in for the integration — with a code; the test then plays the
/// integration's back end with the seed's requests. Screenshots of the sign-in and consent pages are
/// written to bin/.../screenshots/ (see the README). The binaries are found at /usr/bin/chromium and
/// /usr/bin/chromedriver, or where LEDGERLIGHT_CHROMIUM and LEDGERLIGHT_CHROMEDRIVER point.
/// </summary>
public class OAuthBrowserTests(OAuthServer server, ITestOutputHelper output) : IClassFixture<OAuthServer>
{
    static string Chromium => Environment.GetEnvironmentVariable("LEDGERLIGHT_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";
    static string ChromeDriver => Environment.GetEnvironmentVariable("LEDGERLIGHT_CHROMEDRIVER") is { Length: > 0 } p ? p : "/usr/bin/chromedriver";

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    internal static ChromeDriver StartBrowser()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver),
            $"chromium ({Chromium}) and chromedriver ({ChromeDriver}) are needed: apt-get install chromium chromium-driver (.ci/run does)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900",
            "--force-device-scale-factor=1", "--no-first-run", "--disable-extensions");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    static IWebElement WaitFor(IWebDriver driver, By by)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var found = driver.FindElements(by);
            if (found.Count > 0) return found[0];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{by} not found on {driver.Url}: {driver.PageSource[..Math.Min(500, driver.PageSource.Length)]}");
            Thread.Sleep(100);
        }
    }

    void Screenshot(IWebDriver driver, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
    }

    [Fact]
    public async Task Chromium_signs_in_consents_and_the_integration_exchanges_refreshes_and_detects_reuse()
    {
        await using var callback = await CallbackListener.StartAsync();
        var user = await CreateUserAsync(server, server.Company, "SUPERUSER");
        var client = await CreateClientAsync(server.Company, redirectUri: callback.RedirectUri);
        var state = "integration-state-42";
        // The seed's authorize URL: client_id and redirect_uri (and the state an integration adds).
        var authorizeUrl = new Uri(server.BaseAddress, AuthorizeUrl(client, state)).ToString();

        string landedOn;
        using (var driver = StartBrowser())
        {
            driver.Navigate().GoToUrl(authorizeUrl);
            WaitFor(driver, By.Name("email"));
            Screenshot(driver, "oauth-sign-in.png");
            driver.FindElement(By.Name("email")).SendKeys(user.Email);
            driver.FindElement(By.Name("password")).SendKeys(user.Password);
            driver.FindElement(By.CssSelector("button[type=submit]")).Click();

            var allow = WaitFor(driver, By.CssSelector("button[value=allow]"));
            Assert.Contains("Acme Sync", driver.FindElement(By.TagName("h1")).Text);
            Screenshot(driver, "oauth-consent.png");
            allow.Click();

            landedOn = await callback.NextRequestAsync(TimeSpan.FromSeconds(20));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!driver.Url.StartsWith(callback.RedirectUri) && DateTime.UtcNow < deadline) Thread.Sleep(100);
            Assert.StartsWith(callback.RedirectUri + "?code=", driver.Url);
        }
        var code = QueryValue(landedOn, "code")!;
        Assert.Equal(state, QueryValue(landedOn, "state"));

        // Step 4 of the seed, byte for byte: the same form fields in the same order.
        var token = await TokenAsync(server.BaseAddress,
            $"grant_type=authorization_code&code={code}&redirect_uri={E(client.RedirectUri)}&client_id={client.ClientId}&client_secret={client.Secret}");
        Assert.Equal(200, token.Code);
        var current = (await WithBearer(server, HttpMethod.Get, "/v1/companies/current", token.AccessToken)).AssertOk();
        Assert.Equal(server.Company.CompanyId.ToString(), current["id"]!.GetValue<string>());

        // The seed's refresh request; the new pair works, the old refresh token does not.
        var refreshed = await TokenAsync(server.BaseAddress,
            $"grant_type=refresh_token&refresh_token={token.RefreshToken}&client_id={client.ClientId}&client_secret={client.Secret}");
        Assert.Equal(200, refreshed.Code);
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", refreshed.AccessToken)).AssertOk();
        var old = await RefreshAsync(server.BaseAddress, client, token.RefreshToken);
        Assert.Equal((400, "invalid_grant"), (old.Code, old.Error));
        // That reuse ended the chain: the newest tokens are dead too.
        (await WithBearer(server, HttpMethod.Get, "/v1/vendors", refreshed.AccessToken)).AssertError(401, "UNAUTHORIZED");
        Assert.Equal("invalid_grant", (await RefreshAsync(server.BaseAddress, client, refreshed.RefreshToken)).Error);

        Assert.True(new FileInfo(Path.Combine(ScreenshotDirectory, "oauth-sign-in.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(ScreenshotDirectory, "oauth-consent.png")).Length > 10_000);
    }

    /// <summary>The integration's redirect URI: answers a small page and reports each request's full URL.</summary>
    sealed class CallbackListener : IAsyncDisposable
    {
        readonly HttpListener _listener = new();
        readonly System.Threading.Channels.Channel<string> _requests = System.Threading.Channels.Channel.CreateUnbounded<string>();
        Task? _loop;
        public string RedirectUri { get; private set; } = "";

        public static Task<CallbackListener> StartAsync()
        {
            var l = new CallbackListener();
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            l.RedirectUri = $"http://127.0.0.1:{port}/callback";
            l._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            l._listener.Start();
            l._loop = Task.Run(l.LoopAsync);
            return Task.FromResult(l);
        }

        async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                var url = ctx.Request.Url!.ToString();
                var body = "<!doctype html><title>Connected</title><h1>Acme Sync is connected</h1>"u8.ToArray();
                ctx.Response.ContentType = "text/html";
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
                if (url.Contains("/callback")) await _requests.Writer.WriteAsync(url);
            }
        }

        public async Task<string> NextRequestAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            return await _requests.Reader.ReadAsync(cts.Token);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            if (_loop is not null) await _loop;
        }
    }
}
