using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Ledgerlight.Tests.Infrastructure;

public sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, string Body)
{
    public int Code => (int)Status;
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var v) ? v.First() : ContentHeaders?.TryGetValues(name, out var c) == true ? c.First() : null;

    /// <summary>Asserts a Light error envelope with this status and type, and returns it.</summary>
    public JsonNode AssertError(int status, string type)
    {
        Assert.True(Code == status, $"expected {status} but got {Code}: {Body}");
        var json = Json;
        Assert.Equal(type, json["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(json["message"]?.GetValue<string>()));
        Assert.NotNull(json["errors"]);
        Assert.DoesNotContain("   at ", Body); // never a stack trace
        return json;
    }

    public JsonNode AssertOk()
    {
        Assert.True(Code == 200, $"expected 200 but got {Code}: {Body}");
        return Json;
    }
}

/// <summary>
/// A Light client as an integrator would write one: Basic auth with the key, JSON in and out.
/// Every successful /v1 response is checked against Light's OpenAPI schema, so each test that
/// calls an operation also proves its response shape.
/// </summary>
public sealed class ApiClient(Uri baseAddress, string? key)
{
    static readonly SocketsHttpHandler Handler = new() { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 };
    readonly HttpClient _http = new(Handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public string? Key => key;
    public Uri BaseAddress => baseAddress;

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
    public Task<ApiResponse> PostAsync(string path, object? body = null, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, body, headers);
    public Task<ApiResponse> PutAsync(string path, object? body, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Put, path, body, headers);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body = null,
        IDictionary<string, string>? headers = null, string contentType = "application/json;charset=UTF-8", string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        else if (key is not null) request.Headers.TryAddWithoutValidation("Authorization", $"Basic {key}");
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            // "Expect: 100-continue" makes the client wait for the server's go-ahead before sending the body.
            if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase)) request.Headers.ExpectContinue = true;
            else request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        var result = new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
        if (result.Code == 200 && path.StartsWith("/v1/") && !path.StartsWith("/v1/test/") && result.Body.Length > 0)
        {
            var pathOnly = path.Split('?')[0];
            var check = await SchemaValidator.ValidateAsync(method.Method, pathOnly, result.Json);
            Assert.True(check.Ok, $"{method} {pathOnly} response does not match Light's schema: {string.Join("; ", check.Errors)}\n{result.Body}");
        }
        return result;
    }
}
