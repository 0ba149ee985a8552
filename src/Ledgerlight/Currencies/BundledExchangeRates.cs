namespace Ledgerlight.Currencies;

/// <summary>Gives a fresh database the bundled rates at start-up (after migrations), before the server takes requests.</summary>
public sealed class BundledExchangeRates(NpgsqlDataSource db, ILogger<BundledExchangeRates> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var loaded = await EcbCsvLoader.LoadBundledIfEmptyAsync(db, cancellationToken);
        if (loaded is not null)
            log.LogInformation("Loaded {Count} bundled ECB exchange rates ({From} to {To})",
                loaded.Changed, loaded.File.From?.ToString("yyyy-MM-dd"), loaded.File.To?.ToString("yyyy-MM-dd"));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
