namespace Ledgerlight.Storage;

/// <summary>
/// This process, as other instances see it: an id and a heartbeat row in PostgreSQL. Work claimed by
/// an instance whose heartbeat stopped (killed, crashed, partitioned) can be taken over at once,
/// instead of after a long fixed timeout.
/// </summary>
public sealed class ServerInstance
{
    public Guid Id { get; } = Guid.CreateVersion7();

    public static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(2);

    /// <summary>Silence after which an instance counts as dead: several missed heartbeats.</summary>
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(10);
}

/// <summary>Registers the instance at start, refreshes its heartbeat, and removes it on a clean stop.</summary>
public sealed class ServerInstanceHeartbeat(NpgsqlDataSource db, ServerInstance instance, ILogger<ServerInstanceHeartbeat> log)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await BeatAsync(cancellationToken); // registered before the first request can claim anything
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ServerInstance.HeartbeatEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await BeatAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Heartbeat failed; will retry"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var cmd = db.CreateCommand("DELETE FROM server_instances WHERE id = $1 OR heartbeat_at < now() - interval '1 day'");
            cmd.Parameters.Add(new NpgsqlParameter { Value = instance.Id });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException) { }
    }

    async Task BeatAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO server_instances (id) VALUES ($1)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = instance.Id });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
