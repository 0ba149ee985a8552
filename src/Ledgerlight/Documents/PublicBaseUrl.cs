using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ledgerlight.Documents;

/// <summary>
/// The address clients reach this server at, for the absolute URLs it hands out (signed file URLs,
/// redirects). Configured (LEDGERLIGHT_PUBLIC_URL / <c>ServerOptions.PublicUrl</c>), else the first
/// address the server listens on. Never taken from a request's Host header: a forged Host would
/// otherwise point a signed URL, and the bytes uploaded to it, at the forger's server.
/// </summary>
public sealed class PublicBaseUrl
{
    readonly string? _configured;
    readonly IServer _server;
    string? _listening;

    public PublicBaseUrl(string? configured, IServer server)
    {
        _configured = configured is { Length: > 0 } ? Normalize(configured) : null;
        _server = server;
    }

    /// <summary>Absolute, without a trailing slash, e.g. "https://books.example.com" or "https://example.com/ledger".</summary>
    public string Value => _configured ?? (_listening ??= FromListeningAddress());

    /// <summary>An absolute http(s) URL with no query or fragment, without its trailing slash; anything else is an ArgumentException.</summary>
    public static string Normalize(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new ArgumentException($"public URL '{url}' must be an absolute http(s) URL such as https://books.example.com");
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    string FromListeningAddress()
    {
        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("The server has no listening address yet");
        // "http://0.0.0.0:8080", "http://[::]:8080", "http://+:8080": reachable on this machine as localhost.
        var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return Normalize(new UriBuilder(uri) { Host = host }.Uri.ToString());
    }
}
