namespace Ledgerlight.Storage.Jobs;

/// <summary>Handles one kind of job. Throwing means "try again later" until the job's attempts run out.</summary>
public interface IJobHandler
{
    string Kind { get; }
    Task HandleAsync(Job job, CancellationToken ct);
}

public sealed record Job(Guid Id, Guid? CompanyId, string Kind, JsonElement Payload, int Attempts);

public static class JobQueue
{
    /// <summary>Queues a job inside the caller's transaction: it exists exactly when the change that caused it commits.</summary>
    public static async Task<Guid> EnqueueAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid? companyId, string kind, object payload,
        DateTime? runAt = null, int maxAttempts = 8)
    {
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO jobs (id, company_id, kind, payload, run_at, max_attempts, created_at)
            VALUES (@id, @companyId, @kind, @payload::jsonb, COALESCE(@runAt, now()), @maxAttempts, now())
            """, new { id, companyId, kind, payload = JsonSerializer.Serialize(payload, Json.Options), runAt, maxAttempts }, tx);
        return id;
    }

    /// <summary>Delay before attempt n+1: 5 s, 10 s, 20 s... capped at one hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Max(0, attempts - 1))));
}
