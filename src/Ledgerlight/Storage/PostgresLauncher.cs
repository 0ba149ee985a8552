using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Ledgerlight.Storage;

/// <summary>
/// Runs a private PostgreSQL cluster from the machine's PostgreSQL binaries inside a data folder.
/// The cluster listens on a Unix socket only (no TCP), so nothing outside the machine can reach it;
/// and nobody else on the machine either: the socket and its folder are 0700 (only the server's OS
/// user, and root, may open them), and every connection must give the superuser's password
/// (scram-sha-256), a random secret generated on first start and kept 0600 in the data folder
/// (<see cref="SecretFile"/>). When the current process is root, PostgreSQL refuses to run as root,
/// so every pg_* tool is run as the `postgres` OS user through runuser.
/// </summary>
public sealed class PostgresLauncher
{
    public const string DatabaseName = "ledgerlight";
    const int Port = 5432;

    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    readonly string _clusterDir;
    readonly string _socketDir;
    readonly string _secretFile;
    string? _password;
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
        _secretFile = Path.Combine(root, "postgres-password");
        _binDir = FindBinDir();
        _durable = durable;
    }

    public string ConnectionString => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = _socketDir, Port = Port, Username = "postgres", Password = Password, Database = DatabaseName, Pooling = true, MaxPoolSize = 50,
    }.ConnectionString;

    public string AdminConnectionString => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = _socketDir, Port = Port, Username = "postgres", Password = Password, Database = "postgres", Pooling = false,
    }.ConnectionString;

    /// <summary>The folder of the cluster's Unix socket (0700).</summary>
    public string SocketDirectory => _socketDir;

    /// <summary>The superuser's password (0600, readable only by the OS user that runs Ledgerlight).</summary>
    public string SecretFile => _secretFile;

    string Password => _password ??= File.Exists(_secretFile)
        ? File.ReadAllText(_secretFile).Trim()
        : throw new InvalidOperationException($"{_secretFile} is missing: start the cluster first");

    public bool StartedByUs => _startedByUs;

    static bool IsRoot => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Environment.UserName == "root";

    /// <summary>Initialises the cluster on first use and starts it unless it already runs.</summary>
    public async Task StartAsync()
    {
        var root = Path.GetDirectoryName(_clusterDir)!;
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(_socketDir);
        File.SetUnixFileMode(_socketDir, OwnerOnly);
        if (IsRoot)
        {
            // The parent stays root-owned; only the cluster and socket folders belong to postgres.
            File.SetUnixFileMode(root,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            await RunAsync("chown", ["postgres:postgres", _socketDir], asPostgres: false);
        }
        EnsureSecret();

        if (!File.Exists(Path.Combine(_clusterDir, "PG_VERSION")))
        {
            Directory.CreateDirectory(_clusterDir);
            if (IsRoot) await RunAsync("chown", ["postgres:postgres", _clusterDir], asPostgres: false);
            // initdb reads the password from a file; as root it runs as postgres, which cannot read the
            // secret itself, so it gets a copy inside the (postgres-owned, 0700) socket folder for the moment.
            var pwFile = Path.Combine(_socketDir, $"initdb-{Guid.NewGuid():N}.pw");
            WriteOwnerOnly(pwFile, Password);
            try
            {
                if (IsRoot) await RunAsync("chown", ["postgres:postgres", pwFile], asPostgres: false);
                await RunAsync(Path.Combine(_binDir, "initdb"),
                    ["-D", _clusterDir, "-U", "postgres", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", $"--pwfile={pwFile}",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]);
            }
            finally
            {
                File.Delete(pwFile);
            }
        }

        if (await IsRunningAsync()) return;

        var options = $"-c listen_addresses='' -c unix_socket_directories='{_socketDir}' -c unix_socket_permissions=0700 -p {Port} -c max_connections=200";
        if (!_durable) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var logFile = Path.Combine(_socketDir, "postgres.log");
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", _clusterDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
        _startedByUs = true;
        await RequirePasswordAsync();
        await EnsureDatabaseAsync();
    }

    /// <summary>The superuser password, generated once (32 random bytes) and kept 0600 beside the cluster.</summary>
    void EnsureSecret()
    {
        if (File.Exists(_secretFile))
        {
            File.SetUnixFileMode(_secretFile, OwnerReadWrite);
            return;
        }
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        try
        {
            WriteOwnerOnly(_secretFile, secret);
        }
        catch (IOException) when (File.Exists(_secretFile))
        {
            // Another process created it first: use theirs.
        }
    }

    /// <summary>Creates the file 0600 from the start (never briefly readable by others); fails when it exists.</summary>
    static void WriteOwnerOnly(string path, string text)
    {
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite });
        file.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// Clusters made by earlier versions trust every local connection: give the superuser the
    /// password and switch every pg_hba.conf rule to scram-sha-256 (the socket is already private).
    /// </summary>
    async Task RequirePasswordAsync()
    {
        var hba = Path.Combine(_clusterDir, "pg_hba.conf");
        var lines = await File.ReadAllLinesAsync(hba);
        var trusting = lines.Any(l => !l.TrimStart().StartsWith('#') && Regex.IsMatch(l, @"\b(trust|peer|ident)\s*$"));
        if (!trusting) return;
        var noPassword = new Npgsql.NpgsqlConnectionStringBuilder(AdminConnectionString) { Password = null }.ConnectionString;
        await using (var conn = new Npgsql.NpgsqlConnection(noPassword))
        {
            await conn.OpenAsync();
            await using var alter = new Npgsql.NpgsqlCommand($"ALTER ROLE postgres PASSWORD '{Password}'", conn); // hex: nothing to escape
            await alter.ExecuteNonQueryAsync();
        }
        await File.WriteAllLinesAsync(hba, lines.Select(l => l.TrimStart().StartsWith('#') ? l : Regex.Replace(l, @"\b(trust|peer|ident)\s*$", "scram-sha-256")));
        await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _clusterDir, "reload"]);
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
