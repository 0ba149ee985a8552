namespace Ledgerlight.Client;

/// <summary>Everything <see cref="LedgerlightClient"/> can be configured with.</summary>
public sealed record LedgerlightClientOptions
{
    /// <summary>The server, e.g. <c>http://127.0.0.1:8080</c> for a local Ledgerlight or <c>https://api.light.inc</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>API key or bearer token.</summary>
    public required LedgerlightCredentials Credentials { get; init; }

    /// <summary>Retries on 429 and 503.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Time limit for one call, retries and their waits included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The handler that does the network I/O (a proxy, a test server's handler); by default Kiota's.</summary>
    public HttpMessageHandler? PrimaryHandler { get; init; }
}
