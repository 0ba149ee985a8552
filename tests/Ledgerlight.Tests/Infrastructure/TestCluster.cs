using Ledgerlight.Storage;
using Npgsql;

namespace Ledgerlight.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started with the product's own launcher, plus a
/// migrated template database. Each test class gets a fresh database copied from the template.
/// </summary>
public static class TestCluster
{
    const string Template = "ledgerlight_template";
    static readonly Lazy<Task<PostgresLauncher>> Cluster = new(StartAsync);
    static int _databases;

    const string Prefix = "ledgerlight-tests-";

    static async Task<PostgresLauncher> StartAsync()
    {
        await RemoveAbandonedClustersAsync();
        var dir = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}");
        var launcher = new PostgresLauncher(dir, durable: false);
        await launcher.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            launcher.StopNow();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };

        await using (var admin = new NpgsqlConnection(launcher.AdminConnectionString))
        {
            await admin.OpenAsync();
            await Exec(admin, $"DROP DATABASE IF EXISTS {Template}");
            await Exec(admin, $"CREATE DATABASE {Template}");
        }
        await using (var db = Database.Create(ConnectionTo(launcher, Template)))
            await Migrator.ApplyAsync(db);
        NpgsqlConnection.ClearAllPools();
        return launcher;
    }

    /// <summary>
    /// Clusters of earlier runs whose test process is gone (killed, or exited before its exit
    /// handler finished): stop them and free their disk.
    /// </summary>
    static async Task RemoveAbandonedClustersAsync()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)[Prefix.Length..], out var pid) || IsAlive(pid)) continue;
            try
            {
                var stale = new PostgresLauncher(dir, durable: false);
                await stale.StopAsync(force: true);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        }
    }

    static bool IsAlive(int pid)
    {
        try { return !System.Diagnostics.Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>The run's cluster (started on first use).</summary>
    public static Task<PostgresLauncher> LauncherAsync() => Cluster.Value;

    /// <summary>A new, migrated, empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var launcher = await Cluster.Value;
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var admin = new NpgsqlConnection(launcher.AdminConnectionString);
        await admin.OpenAsync();
        await Exec(admin, $"CREATE DATABASE {name} TEMPLATE {Template}");
        return ConnectionTo(launcher, name);
    }

    static string ConnectionTo(PostgresLauncher launcher, string database) =>
        new NpgsqlConnectionStringBuilder(launcher.ConnectionString) { Database = database, MaxPoolSize = 20 }.ConnectionString;

    static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
