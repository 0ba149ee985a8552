namespace Ledgerlight.Storage.Jobs;

public sealed class JobRunnerOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>A claim older than this is considered abandoned (its instance died) and the job runs again.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
    public Func<int, TimeSpan> Backoff { get; set; } = JobQueue.Backoff;
}

/// <summary>
/// Claims due jobs one at a time with FOR UPDATE SKIP LOCKED, so any number of server instances
/// can run side by side without running a job twice, and dispatches them to their handler.
/// </summary>
public sealed class JobRunner(NpgsqlDataSource db, IEnumerable<IJobHandler> handlers, JobRunnerOptions options, ILogger<JobRunner> log)
    : BackgroundService
{
    readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOneAsync(stoppingToken)) continue; // more may be due: don't sleep
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Job runner failed to claim or finish a job; retrying");
            }
            try { await Task.Delay(options.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Runs the next due job, if any; true when one ran.</summary>
    public async Task<bool> RunOneAsync(CancellationToken ct)
    {
        var kinds = _handlers.Keys.ToArray();
        if (kinds.Length == 0) return false;
        Job? job;
        await using (var cmd = db.CreateCommand("""
            UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, locked_until = now() + $2
             WHERE id = (SELECT id FROM jobs
                          WHERE kind = ANY($1) AND run_at <= now()
                            AND (state = 'QUEUED' OR (state = 'RUNNING' AND locked_until < now()))
                          ORDER BY run_at
                          FOR UPDATE SKIP LOCKED
                          LIMIT 1)
            RETURNING id, company_id, kind, payload::text, attempts
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = kinds });
            cmd.Parameters.Add(new NpgsqlParameter { Value = options.Lease });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return false;
            job = new Job(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2),
                JsonDocument.Parse(reader.GetString(3)).RootElement.Clone(), reader.GetInt32(4));
        }

        try
        {
            await _handlers[job.Kind].HandleAsync(job, ct);
            await FinishAsync(job.Id, "UPDATE jobs SET state = 'DONE', completed_at = now(), locked_until = NULL, last_error = NULL WHERE id = $1");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Job {JobId} ({Kind}) attempt {Attempt} failed", job.Id, job.Kind, job.Attempts);
            await using var cmd = db.CreateCommand("""
                UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'QUEUED' END,
                                run_at = now() + $2, locked_until = NULL, last_error = $3
                 WHERE id = $1
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = job.Id });
            cmd.Parameters.Add(new NpgsqlParameter { Value = options.Backoff(job.Attempts) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Message.Length > 2000 ? e.Message[..2000] : e.Message });
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        return true;
    }

    async Task FinishAsync(Guid id, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
