using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Ledgerlight.Client;

/// <summary>
/// How the client proves who it is: an API key (sent as Light documents it, <c>Authorization: Basic &lt;key&gt;</c>)
/// or an OAuth 2.0 access token (<c>Authorization: Bearer &lt;token&gt;</c>).
/// </summary>
public sealed class LedgerlightCredentials : IAuthenticationProvider
{
    readonly string _scheme;
    readonly Func<CancellationToken, Task<string>> _secret;

    LedgerlightCredentials(string scheme, Func<CancellationToken, Task<string>> secret) => (_scheme, _secret) = (scheme, secret);

    /// <summary>An API key (Settings → API Keys in Light, <c>ledgerlight keys create</c> in Ledgerlight).</summary>
    public static LedgerlightCredentials ApiKey(string apiKey) => new("Basic", _ => Task.FromResult(Required(apiKey)));

    /// <summary>A fixed OAuth access token.</summary>
    public static LedgerlightCredentials Bearer(string accessToken) => new("Bearer", _ => Task.FromResult(Required(accessToken)));

    /// <summary>An OAuth access token asked for on every request, so the caller can refresh it when it expires.</summary>
    public static LedgerlightCredentials Bearer(Func<CancellationToken, Task<string>> accessToken) => new("Bearer", accessToken);

    /// <inheritdoc />
    public async Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default)
    {
        // Kiota's stock bearer provider refuses plain http; a local Ledgerlight sandbox is plain http.
        request.Headers.TryAdd("Authorization", $"{_scheme} {await _secret(cancellationToken)}");
    }

    static string Required(string secret) =>
        string.IsNullOrWhiteSpace(secret) ? throw new ArgumentException("A credential is required", nameof(secret)) : secret;
}
