using Ledgerlight.Hosting;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Organization.Companies;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Ledgerlight.Tests.Infrastructure;

/// <summary>
/// A real Ledgerlight server on a loopback port over a fresh database, with one company and an
/// ADMIN and a VIEWER key. One per test class (IClassFixture); classes run in parallel.
/// </summary>
public class ApiServer : IAsyncLifetime
{
    WebApplication? _app;
    public string ConnectionString { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = null!;
    public Tenant Company { get; private set; } = null!;

    protected virtual RateLimitOptions RateLimits => new() { PerMinute = 100_000, PerDay = 10_000_000 };
    protected virtual void ExtraRoutes(IEndpointRouteBuilder routes) { }

    /// <summary>Last word on the server's options (job handlers, timings...).</summary>
    protected virtual ServerOptions Customize(ServerOptions options) => options;

    public IServiceProvider Services => _app!.Services;
    public NpgsqlDataSource Db => Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        // The daily contract-billing job would bill test companies if a run crossed midnight UTC;
        // tests bill explicitly through the endpoint, CLI or job handler instead.
        Environment.SetEnvironmentVariable("LEDGERLIGHT_CONTRACT_BILLING", "off");
        ConnectionString = await TestCluster.CreateDatabaseAsync();
        (_app, BaseAddress) = await StartServerAsync(ConnectionString, RateLimits, ExtraRoutes, Customize);
        Company = await CreateTenantAsync("Acme Test Corp", "USD");
    }

    /// <summary>Starts another server instance (same code, any database) on its own port.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartServerAsync(string connectionString, RateLimitOptions limits,
        Action<IEndpointRouteBuilder>? extraRoutes = null, Func<ServerOptions, ServerOptions>? customize = null)
    {
        var options = new ServerOptions(connectionString, ["http://127.0.0.1:0"], limits)
        {
            ExtraRoutes = extraRoutes,
            BlobDirectory = Path.Combine(Path.GetTempPath(), "ledgerlight-test-blobs", Guid.NewGuid().ToString("N")),
            Smtp = new global::Ledgerlight.Receivables.InvoiceDocuments.SmtpSettings
            {
                PickupDirectory = Path.Combine(Path.GetTempPath(), "ledgerlight-test-outbox", Guid.NewGuid().ToString("N")),
            },
        };
        var app = LedgerlightServer.Build(customize is null ? options : customize(options));
        await LedgerlightServer.StartAsync(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>A company with its own admin and viewer keys, for tenancy tests.</summary>
    public async Task<Tenant> CreateTenantAsync(string name, string currency)
    {
        var companies = new CompanyStore(Db, TimeProvider.System);
        var keys = new ApiKeyStore(Db, TimeProvider.System);
        var company = await companies.ProvisionAsync(new CompanySetup(name, currency, $"owner@{Guid.NewGuid():N}.example", "Olive", "Owner"));
        var admin = await keys.CreateAsync(company.CompanyId, Roles.Admin, "admin");
        var viewer = await keys.CreateAsync(company.CompanyId, Roles.Viewer, "viewer");
        return new Tenant(company.CompanyId, company.EntityId, new ApiClient(BaseAddress, admin.Key), new ApiClient(BaseAddress, viewer.Key), admin.Key);
    }

    public ApiClient Anonymous => new(BaseAddress, null);
    public ApiClient Admin => Company.Admin;
    public ApiClient Viewer => Company.Viewer;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

public sealed record Tenant(Guid CompanyId, Guid EntityId, ApiClient Admin, ApiClient Viewer, string AdminKey);
