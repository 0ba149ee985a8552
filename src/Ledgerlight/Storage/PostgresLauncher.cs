using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ledgerlight.Storage;

/// <summary>
/// Runs a private PostgreSQL cluster from the machine's PostgreSQL binaries inside a data folder.
/// The cluster listens on a Unix socket only (no TCP), so nothing outside the machine can reach it.
/// When the current process is root, PostgreSQL refuses to run as root, so every pg_* tool is run
/// as the `postgres` OS user through runuser.
/// </summary>
public sealed class PostgresLauncher
{
    public const string DatabaseName = "ledgerlight";
    const int Port = 5432;

    readonly string _clusterDir;
    readonly string _socketDir;
    readonly string _binDir;
    readonly bool _durable;
    bool _startedByUs;

    /// <param name="dataDir">folder that holds the cluster (created if missing)</param>
    /// <param name="durable">false turns off fsync for throwaway test clusters</param>
    public PostgresLauncher(string dataDir, bool durable = true)
    {
        var root = Path.GetFullPath(dataDir);
        _clusterDir = Path.Combine(root, "pg");
        _socketDir = Path.Combine(root, "run");
        _binDir = FindBinDir();
        _durable = durable;
    }

    public string ConnectionString =>
        $"Host={_socketDir};Port={Port};Username=postgres;Database={DatabaseName};Pooling=true;Maximum Pool Size=50";

    public string AdminConnectionString =>
        $"Host={_socketDir};Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public bool StartedByUs => _startedByUs;

    static bool IsRoot => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Environment.UserName == "root";

    /// <summary>Initialises the cluster on first use and starts it unless it already runs.</summary>
    public async Task StartAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_clusterDir)!);
        Directory.CreateDirectory(_socketDir);
        if (IsRoot)
        {
            // The parent stays root-owned; only the cluster and socket folders belong to postgres.
            File.SetUnixFileMode(Path.GetDirectoryName(_clusterDir)!,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            await RunAsync("chown", ["postgres:postgres", _socketDir], asPostgres: false);
        }

        if (!File.Exists(Path.Combine(_clusterDir, "PG_VERSION")))
        {
            Directory.CreateDirectory(_clusterDir);
            if (IsRoot) await RunAsync("chown", ["postgres:postgres", _clusterDir], asPostgres: false);
            await RunAsync(Path.Combine(_binDir, "initdb"),
                ["-D", _clusterDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]);
        }

        if (await IsRunningAsync()) return;

        var options = $"-c listen_addresses='' -c unix_socket_directories='{_socketDir}' -p {Port} -c max_connections=200";
        if (!_durable) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var logFile = Path.Combine(_socketDir, "postgres.log");
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", _clusterDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
        _startedByUs = true;
        await EnsureDatabaseAsync();
    }

    async Task EnsureDatabaseAsync()
    {
        await using var conn = new Npgsql.NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var check = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn);
        check.Parameters.AddWithValue(DatabaseName);
        if (await check.ExecuteScalarAsync() is null)
        {
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {DatabaseName}", conn);
            await create.ExecuteNonQueryAsync();
        }
    }

    public async Task<bool> IsRunningAsync()
    {
        if (!File.Exists(Path.Combine(_clusterDir, "postmaster.pid"))) return false;
        var code = await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _clusterDir, "status"], throwOnError: false);
        if (code != 0) return false;
        // Started by an earlier process of ours that still runs (or crashed): make sure the database exists.
        await EnsureDatabaseAsync();
        return true;
    }

    /// <summary>Stops the cluster if this process started it; a cluster another process started is left alone.</summary>
    public async Task StopAsync(bool force = false)
    {
        if (!_startedByUs && !force) return;
        await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _clusterDir, "-m", "fast", "-w", "stop"], throwOnError: false);
        _startedByUs = false;
    }

    /// <summary>Synchronous stop for process-exit handlers, where async continuations may never run.</summary>
    public void StopNow()
    {
        if (!_startedByUs) return;
        _startedByUs = false;
        RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _clusterDir, "-m", "immediate", "-w", "stop"], throwOnError: false)
            .GetAwaiter().GetResult();
    }

    static string FindBinDir()
    {
        var configured = Environment.GetEnvironmentVariable("LEDGERLIGHT_PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return configured;
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var best = Directory.GetDirectories(debianRoot)
                .Select(d => (dir: d, version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.dir, "bin", "initdb")))
                .OrderByDescending(x => x.version)
                .FirstOrDefault();
            if (best.dir is not null) return Path.Combine(best.dir, "bin");
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "initdb"))) return dir;
        throw new InvalidOperationException(
            "PostgreSQL binaries (initdb, pg_ctl) not found. Install PostgreSQL 15+ or set LEDGERLIGHT_PG_BIN.");
    }

    static async Task<int> RunAsync(string file, string[] args, bool asPostgres = true, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asPostgres && IsRoot)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        }
        else psi.FileName = file;
        foreach (var a in args) psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && throwOnError)
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        return process.ExitCode;
    }
}
