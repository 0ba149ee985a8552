namespace Ledgerlight.Client;

/// <summary>How <see cref="RetryHandler"/> retries a call the server asked to be repeated later.</summary>
public sealed record RetryOptions
{
    /// <summary>Retries after the first attempt (0 turns retrying off).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff when the server gives no Retry-After; doubled on every retry, with ±20 % jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest single wait. A Retry-After beyond it (e.g. the daily limit, reset at midnight UTC)
    /// is not slept through: the 429 goes back to the caller.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
}
