using Ledgerlight.Hosting;
using Ledgerlight.Tests.Infrastructure;

namespace Ledgerlight.Tests.Robustness;

/// <summary>An <see cref="ApiServer"/> whose Error-level log entries the test can read.</summary>
public sealed class FuzzServer : ApiServer
{
    public CapturedLogs Logs { get; } = new();

    protected override ServerOptions Customize(ServerOptions options) => options with
    {
        ConfigureServices = services =>
        {
            options.ConfigureServices?.Invoke(services);
            Logs.AddTo(services);
        },
    };
}
