using System.Net;

namespace Ledgerlight.Client;

/// <summary>
/// Repeats a call answered 429 (rate limited) or 503 (unavailable), or that failed to connect:
/// it waits what the server's <c>Retry-After</c> says, or else an exponential backoff with jitter.
/// Writes are safe to repeat because <see cref="IdempotencyKeyHandler"/>, outside this handler,
/// already gave the request its idempotency key, which every retry reuses.
/// </summary>
public sealed class RetryHandler(RetryOptions options) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The same request message is sent again: its body must be readable more than once.
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < options.MaxRetries)
            {
                await Task.Delay(Backoff(attempt), cancellationToken);
                continue;
            }
            if (attempt >= options.MaxRetries || !IsRetryable(response.StatusCode)) return response;
            var delay = RetryAfter(response) ?? Backoff(attempt);
            if (delay > options.MaxDelay) return response;
            response.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    TimeSpan Backoff(int attempt)
    {
        var jitter = 0.8 + Random.Shared.NextDouble() * 0.4;
        var delay = TimeSpan.FromMilliseconds(options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt) * jitter);
        return delay < options.MaxDelay ? delay : options.MaxDelay;
    }

    /// <summary>Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3); null when absent.</summary>
    static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
