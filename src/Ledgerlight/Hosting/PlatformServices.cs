using Ledgerlight.Platform.OpenApi;
using Ledgerlight.Storage;

namespace Ledgerlight.Hosting;

/// <summary>What every area stands on: the database, the clock, rate limits, the job runner, the server instance, housekeeping and the published contract.</summary>
public static class PlatformServices
{
    public static IServiceCollection AddPlatform(this IServiceCollection services, ServerOptions options)
    {
        services.AddRouting();
        services.AddHttpContextAccessor();
        services.AddSingleton(_ => Database.Create(options.ConnectionString));
        services.AddSingleton(_ => Database.CreateListener(options.ConnectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options.RateLimit);
        services.AddSingleton(new BrowserOrigins(options.BrowserOrigins));
        services.AddSingleton<QuotaLeases>();
        services.AddHostedService<QuotaLeaseReturner>();
        services.AddSingleton<PublishedSpec>();
        services.AddHostedService<Housekeeping>();
        services.AddSingleton<ServerInstance>();
        services.AddHostedService<ServerInstanceHeartbeat>();
        services.AddSingleton(options.Jobs ?? new Storage.Jobs.JobRunnerOptions());
        services.AddSingleton<Storage.Jobs.JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<Storage.Jobs.JobRunner>());
        return services;
    }

    /// <summary>The request pipeline every /v1 call passes, in order: errors, CORS of the download paths, text checks, docs, routing, auth, limits, permissions, idempotency, API errors.</summary>
    public static WebApplication UseLedgerlightPipeline(this WebApplication app)
    {
        app.UseMiddleware<ErrorBoundaryMiddleware>();
        app.UseMiddleware<BrowserDownloadsMiddleware>();
        app.UseMiddleware<InputTextMiddleware>();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "Ledgerlight API";
            ui.SwaggerEndpoint("/openapi.json", "Ledgerlight");
        });
        app.UseRouting();
        app.UseMiddleware<Platform.Auth.AuthenticationMiddleware>();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<Platform.Auth.PermissionMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseMiddleware<ApiExceptionMiddleware>();
        return app;
    }
}
