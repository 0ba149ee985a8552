using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledgerlight.Tests.Sdk;

/// <summary>
/// A tiny real HTTP server on loopback that answers each request with the next step of a script,
/// and records what it received: for the client behaviours a real Ledgerlight never shows on
/// demand (a 429 then a 200, an enum value from the future).
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    public sealed record Received(string Method, string Path, string? IdempotencyKey, string? Authorization, DateTimeOffset At);
    public delegate Task Step(HttpResponse response);

    readonly WebApplication _app;
    readonly ConcurrentQueue<Step> _script;
    public ConcurrentQueue<Received> Requests { get; } = new();
    public string BaseUrl { get; }

    ScriptedServer(WebApplication app, IEnumerable<Step> script, string baseUrl) => (_app, _script, BaseUrl) = (app, new(script), baseUrl);

    public static async Task<ScriptedServer> StartAsync(params Step[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedServer? self = null;
        app.Run(async ctx =>
        {
            self!.Requests.Enqueue(new Received(ctx.Request.Method, ctx.Request.Path, ctx.Request.Headers["X-Idempotency-Key"].FirstOrDefault(),
                ctx.Request.Headers.Authorization.FirstOrDefault(), DateTimeOffset.UtcNow));
            if (self._script.TryDequeue(out var step)) await step(ctx.Response);
            else ctx.Response.StatusCode = 500;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return self = new ScriptedServer(app, script, address);
    }

    public static Step Json(string body, int status = 200) => async response =>
    {
        response.StatusCode = status;
        response.ContentType = "application/json;charset=UTF-8";
        await response.WriteAsync(body);
    };

    public static Step Status(int status, string? retryAfter = null) => async response =>
    {
        response.StatusCode = status;
        if (retryAfter is not null) response.Headers.RetryAfter = retryAfter;
        response.ContentType = "application/json;charset=UTF-8";
        await response.WriteAsync($$"""{"name":"Error","type":"{{(status == 429 ? "TOO_MANY_REQUESTS" : "SERVICE_UNAVAILABLE")}}","message":"try later","errors":[]}""");
    };

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
