using System.Diagnostics;
using Ledgerlight.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Ledgerlight.Tests.Storage;

/// <summary>
/// The embedded PostgreSQL (the same launcher the CLI uses runs the test cluster) is reachable only
/// by the OS user that runs it, and only with the generated secret.
/// </summary>
public class EmbeddedDatabaseSecurityTests
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Socket_folder_socket_and_secret_are_private_to_the_servers_os_user()
    {
        var launcher = await TestCluster.LauncherAsync();
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(launcher.SocketDirectory));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(launcher.SocketDirectory, ".s.PGSQL.5432")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(launcher.SecretFile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-password")]
    public async Task A_connection_without_the_secret_is_refused(string? password)
    {
        var launcher = await TestCluster.LauncherAsync();
        var attempt = new NpgsqlConnectionStringBuilder(launcher.AdminConnectionString) { Password = password }.ConnectionString;
        await using var conn = new NpgsqlConnection(attempt);
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => conn.OpenAsync());
        if (refused is PostgresException pg) Assert.Equal(PostgresErrorCodes.InvalidPassword, pg.SqlState);
        else Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);

        // With the secret it works (the launcher's own connection string carries it).
        await using var ok = new NpgsqlConnection(launcher.AdminConnectionString);
        await ok.OpenAsync();
    }

    [Fact]
    public async Task Another_local_os_user_cannot_reach_the_socket()
    {
        var launcher = await TestCluster.LauncherAsync();
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/psql") || !File.Exists("/usr/sbin/runuser")) return; // needs root to become another user
        var psi = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in new[] { "-u", "nobody", "--", "psql", "-h", launcher.SocketDirectory, "-U", "postgres", "-d", "postgres", "-w", "-c", "SELECT 1" })
            psi.ArgumentList.Add(a);
        psi.Environment["PGCONNECT_TIMEOUT"] = "5";
        using var psql = Process.Start(psi)!;
        var stderr = psql.StandardError.ReadToEndAsync();
        await psql.StandardOutput.ReadToEndAsync();
        await psql.WaitForExitAsync();
        Assert.NotEqual(0, psql.ExitCode);
        Assert.Contains("Permission denied", await stderr);
    }
}
