using System.Collections.Concurrent;
using Ledgerlight.Hosting;
using Ledgerlight.Platform;
using Ledgerlight.Storage.Jobs;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ledgerlight.Tests.Storage;

/// <summary>Records what ran; "flaky" jobs fail their first two attempts.</summary>
public sealed class RecordingHandler : IJobHandler
{
    public static readonly ConcurrentDictionary<Guid, int> Runs = new();
    public string Kind => "test.record";

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var runs = Runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
        await Task.Delay(20, ct); // long enough for a second instance to try to claim the same job
        if (job.Payload.GetProperty("flaky").GetBoolean() && runs < 3) throw new InvalidOperationException($"attempt {runs} fails");
    }
}

public sealed class JobServer : ApiServer
{
    public static ServerOptions WithTestJobs(ServerOptions o) => o with
    {
        Jobs = new JobRunnerOptions { PollInterval = TimeSpan.FromMilliseconds(50), Backoff = _ => TimeSpan.FromMilliseconds(100) },
        ConfigureServices = s => s.AddSingleton<IJobHandler, RecordingHandler>(),
    };

    protected override ServerOptions Customize(ServerOptions options) => WithTestJobs(options);
}

public class JobQueueTests(JobServer server) : IClassFixture<JobServer>
{
    async Task<string> StateOf(Guid id)
    {
        await using var cmd = server.Db.CreateCommand("SELECT state || ':' || attempts FROM jobs WHERE id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    async Task<Guid> Enqueue(bool flaky, int maxAttempts = 8)
    {
        await using var conn = await server.Db.OpenConnectionAsync();
        return await JobQueue.EnqueueAsync(conn, null, server.Company.CompanyId, "test.record", new { flaky }, maxAttempts: maxAttempts);
    }

    static async Task Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not reached in 20 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_failing_job_is_retried_with_backoff_until_it_succeeds()
    {
        var id = await Enqueue(flaky: true);
        await Eventually(async () => await StateOf(id) == "DONE:3");
        Assert.Equal(3, RecordingHandler.Runs[id]);
    }

    [Fact]
    public async Task A_job_out_of_attempts_is_marked_failed_with_its_error()
    {
        var id = await Enqueue(flaky: true, maxAttempts: 2);
        await Eventually(async () => await StateOf(id) == "FAILED:2");
        await using var cmd = server.Db.CreateCommand("SELECT last_error FROM jobs WHERE id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        Assert.Equal("attempt 2 fails", (string)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Two_instances_never_run_the_same_job_twice()
    {
        var (second, _) = await ApiServer.StartServerAsync(server.ConnectionString, new RateLimitOptions(), customize: JobServer.WithTestJobs);
        await using var _ = second;
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++) ids.Add(await Enqueue(flaky: false));
        await Eventually(async () =>
        {
            foreach (var id in ids) if (await StateOf(id) != "DONE:1") return false;
            return true;
        });
        Assert.All(ids, id => Assert.Equal(1, RecordingHandler.Runs[id]));
    }
}
