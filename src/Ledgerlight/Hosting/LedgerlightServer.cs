using Ledgerlight.Banking;
using Ledgerlight.Currencies;
using Ledgerlight.Documents;
using Ledgerlight.OAuth;
using Ledgerlight.Organization;
using Ledgerlight.Payables;
using Ledgerlight.Platform.OpenApi;
using Ledgerlight.Receivables;
using Ledgerlight.Spend;
using Ledgerlight.Storage;
using Microsoft.AspNetCore.Routing;

namespace Ledgerlight.Hosting;

public sealed record ServerOptions(string ConnectionString, IReadOnlyList<string> Urls, RateLimitOptions RateLimit)
{
    /// <summary>Extra routes mapped after the product's own; tests use it for endpoints that fail or stall on purpose.</summary>
    public Action<IEndpointRouteBuilder>? ExtraRoutes { get; init; }

    /// <summary>Job runner timing (tests shorten the backoff).</summary>
    public Storage.Jobs.JobRunnerOptions? Jobs { get; init; }

    /// <summary>Extra services (tests register job handlers that fail on purpose).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
    /// <summary>Folder of the local blob store (uploaded documents). Default: "blobs" inside the data folder.</summary>
    public string? BlobDirectory { get; init; }

    public static string DefaultBlobDirectory(string dataDirectory) => Path.Combine(dataDirectory, "blobs");

    /// <summary>
    /// The address clients reach the server at (e.g. https://books.example.com): the base of signed file
    /// URLs and redirects. Default: the first listening address. The CLI reads LEDGERLIGHT_PUBLIC_URL.
    /// </summary>
    public string? PublicUrl { get; init; }

    /// <summary>Web origins allowed to download documents in a browser (<see cref="BrowserOrigins"/>). Default: none.</summary>
    public IReadOnlyList<string> BrowserOrigins { get; init; } = [];

    /// <summary>Outgoing mail (invoice e-mails). Default: .eml files in "outbox" inside the data folder.</summary>
    public Receivables.InvoiceDocuments.SmtpSettings? Smtp { get; init; }
}

/// <summary>Builds the web application: services, the shared request pipeline and every area's routes.</summary>
public static class LedgerlightServer
{
    public static WebApplication Build(ServerOptions options)
    {
        Database.Configure();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls.ToArray());
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Backstop only: bodies are read through RequestBody, which answers 413 in the envelope.
            k.Limits.MaxRequestBodySize = 2 * RequestBody.MaxBytes;
            // Requests Kestrel refuses before the app runs (a %00 in the path...) get the envelope too.
            k.ConfigureEndpointDefaults(KestrelRejections.Use);
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);

        var dataDirectory = Environment.GetEnvironmentVariable("LEDGERLIGHT_DATA") ?? ".ledgerlight";
        var services = builder.Services
            .AddPlatform(options)
            .AddOrganization()
            .AddLedger()
            .AddCurrencies()
            .AddBanking()
            .AddDocuments(options.BlobDirectory ?? ServerOptions.DefaultBlobDirectory(dataDirectory), options.PublicUrl)
            .AddPayables()
            .AddReceivables()
            .AddSpend()
            .AddOAuth(options.PublicUrl);
        // Mail depends on server options, so it is registered here rather than in the Receivables module.
        services.AddSingleton(options.Smtp ?? Receivables.InvoiceDocuments.SmtpSettings.FromEnvironment(dataDirectory));
        services.AddSingleton<Receivables.InvoiceDocuments.IEmailSender, Receivables.InvoiceDocuments.SmtpEmailSender>();
        options.ConfigureServices?.Invoke(services);

        var app = builder.Build();
        app.UseLedgerlightPipeline();
        MapOperationalEndpoints(app);
        app.MapOrganization();
        app.MapLedger();
        app.MapPayables();
        app.MapCurrencies();
        app.MapBanking();
        app.MapDocuments();
        app.MapReceivables();
        app.MapSpend();
        app.MapOAuth();
        options.ExtraRoutes?.Invoke(app);
        return app;
    }

    /// <summary>Applies migrations (under an advisory lock) and starts listening.</summary>
    public static async Task StartAsync(WebApplication app)
    {
        await Migrator.ApplyAsync(app.Services.GetRequiredService<NpgsqlDataSource>());
        await app.Services.GetRequiredService<SignedUrls>().LoadSecretAsync();
        EnsureEveryEndpointHasAPermission(app);
        await app.StartAsync();
    }

    static void MapOperationalEndpoints(WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Text("{\"status\":\"UP\"}", Json.ContentType));
        app.MapGet("/health/ready", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            try
            {
                await using var cmd = db.CreateCommand("SELECT 1");
                await cmd.ExecuteScalarAsync(ct);
                return Results.Text("{\"status\":\"UP\",\"database\":\"UP\"}", Json.ContentType);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return Results.Text("{\"status\":\"DOWN\",\"database\":\"DOWN\"}", Json.ContentType, statusCode: 503);
            }
        });
        app.MapGet("/openapi.json", (PublishedSpec spec) => Results.Bytes(spec.Document, Json.ContentType));
    }

    /// <summary>Fail closed: a /v1 route without a declared permission would be open to every role.</summary>
    static void EnsureEveryEndpointHasAPermission(WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var missing = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1") == true && e.Metadata.GetMetadata<RequiredPermission>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"Endpoints without a permission: {string.Join(", ", missing)}");
    }
}
