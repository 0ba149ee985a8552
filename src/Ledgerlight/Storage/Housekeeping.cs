namespace Ledgerlight.Storage;

/// <summary>
/// Drops expired rate-limit windows and idempotency records. Every instance may run it; the
/// deletes are idempotent, so no coordination is needed.
/// </summary>
public sealed class Housekeeping(NpgsqlDataSource db, ILogger<Housekeeping> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        do
        {
            try
            {
                await using var batch = db.CreateBatch();
                batch.BatchCommands.Add(new NpgsqlBatchCommand(
                    "DELETE FROM rate_limit_counters WHERE window_start < now() - interval '2 days'"));
                // Kept 48 h although 24 h is promised, so a key never expires early.
                batch.BatchCommands.Add(new NpgsqlBatchCommand(
                    "DELETE FROM idempotency_keys WHERE created_at < now() - interval '48 hours'"));
                await batch.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Housekeeping failed; will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
