namespace Ledgerlight.Client;

/// <summary>
/// Gives every write (POST, PUT, PATCH, DELETE) an <c>X-Idempotency-Key</c> unless the caller set
/// one. It sits outside <see cref="RetryHandler"/>, so all retries of one call carry the same key and
/// the server runs the write at most once, replaying its first answer to the retries.
/// </summary>
public sealed class IdempotencyKeyHandler : DelegatingHandler
{
    /// <summary>The header Light and Ledgerlight read (Ledgerlight also accepts the IETF <c>Idempotency-Key</c>).</summary>
    public const string HeaderName = "X-Idempotency-Key";

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWrite(request.Method) && !request.Headers.Contains(HeaderName) && !request.Headers.Contains("Idempotency-Key"))
            request.Headers.TryAddWithoutValidation(HeaderName, Guid.NewGuid().ToString());
        return base.SendAsync(request, cancellationToken);
    }

    static bool IsWrite(HttpMethod method) =>
        method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch || method == HttpMethod.Delete;
}
