using System.Net.Http.Headers;
using System.Text;

namespace Ledgerlight.Tests.Robustness;

/// <summary>
/// A bare HTTP client for generated requests: sends bytes exactly as generated (no schema check on
/// answers, no header validation), with a request id the server's log entries can be matched on.
/// </summary>
public sealed class FuzzTransport(Uri baseAddress) : IDisposable
{
    readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 32,
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public sealed record Answer(int Status, string Body, string? ContentType);

    public async Task<(int Status, string Body)> SendRawAsync(HttpMethod method, string path, string? body, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Basic {key}");
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<Answer> SendAsync(GeneratedRequest generated)
    {
        using var request = new HttpRequestMessage(new HttpMethod(generated.Method), new Uri(baseAddress, generated.Path));
        request.Headers.TryAddWithoutValidation("X-Request-Id", generated.RequestId);
        if (generated.Authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", generated.Authorization);
        if (generated.IdempotencyKey is not null) request.Headers.TryAddWithoutValidation("X-Idempotency-Key", generated.IdempotencyKey);
        if (generated.BodyBytes is { } bytes)
        {
            request.Content = new ByteArrayContent(bytes);
            if (!string.IsNullOrEmpty(generated.ContentType))
                request.Content.Headers.TryAddWithoutValidation("Content-Type", generated.ContentType);
        }
        using var response = await _http.SendAsync(request);
        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    public void Dispose() => _http.Dispose();
}
