using System.Diagnostics;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Cli;

public class CommandLineTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Companies_and_keys_commands_work_beside_a_running_server()
    {
        var name = $"Cli Company {Guid.NewGuid():N}";
        var created = await CliRunner.RunAsync("companies", "create", "--name", name, "--currency", "EUR", "--database", server.ConnectionString);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var companyId = Guid.Parse(created.Stdout.Trim());

        var key = await CliRunner.RunAsync("keys", "create", "--company", name, "--role", "VIEWER", "--name", "reporting", "--database", server.ConnectionString);
        Assert.True(key.ExitCode == 0, key.Stderr);
        var lines = key.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var plainKey = Assert.Single(lines).Trim(); // only the key on stdout, for scripts

        var client = new ApiClient(server.BaseAddress, plainKey);
        var company = (await client.GetAsync("/v1/companies/current")).AssertOk();
        Assert.Equal(companyId.ToString(), company["id"]!.GetValue<string>());
        Assert.Equal("EUR", company["baseCurrency"]!.GetValue<string>());
        (await client.PostAsync("/v1/vendors", new { name = "Viewer cannot" })).AssertError(403, "FORBIDDEN");

        var list = await CliRunner.RunAsync("keys", "list", "--company", companyId.ToString(), "--database", server.ConnectionString);
        Assert.Contains("reporting", list.Stdout);
        Assert.DoesNotContain(plainKey, list.Stdout);

        var revoke = await CliRunner.RunAsync("keys", "revoke", plainKey, "--database", server.ConnectionString);
        Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        (await client.GetAsync("/v1/companies/current")).AssertError(401, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Bad_arguments_fail_with_a_message_and_nonzero_exit()
    {
        var badCurrency = await CliRunner.RunAsync("companies", "create", "--name", "X", "--currency", "XYZ", "--database", server.ConnectionString);
        Assert.NotEqual(0, badCurrency.ExitCode);
        Assert.Contains("ISO 4217", badCurrency.Stderr);
        var badRole = await CliRunner.RunAsync("keys", "create", "--company", server.Company.CompanyId.ToString(), "--role", "GOD", "--database", server.ConnectionString);
        Assert.NotEqual(0, badRole.ExitCode);
        Assert.Contains("unknown role", badRole.Stderr);
    }
}

/// <summary>The README's run command on a fresh data folder: embedded cluster, demo company, Ctrl-C.</summary>
public class EmbeddedServeTests
{
    [Fact]
    public async Task Serve_demo_starts_its_own_database_prints_a_key_and_stops_cleanly()
    {
        var data = Path.Combine(Path.GetTempPath(), $"ledgerlight-serve-{Guid.NewGuid():N}");
        try
        {
            var port = CliRunner.FreePort();
            var (process, key, output) = await StartServeAsync(data, port, expectKey: true);
            var client = new ApiClient(new Uri($"http://127.0.0.1:{port}"), key);
            var vendors = (await client.GetAsync("/v1/vendors")).AssertOk();
            Assert.True(vendors["records"]!.AsArray().Count >= 3);
            Assert.Equal("Demo Company", (await client.GetAsync("/v1/companies/current")).AssertOk()["name"]!.GetValue<string>());

            CliRunner.Interrupt(process);
            await AssertStopsAsync(process, output);
            Assert.False(File.Exists(Path.Combine(data, "pg", "postmaster.pid")), "embedded PostgreSQL still running after exit");

            // With the server stopped, the CLI starts the cluster itself, and stops it again.
            var adminKey = await CliRunner.RunAsync("keys", "create", "--company", "Demo Company", "--role", "ADMIN", "--data", data);
            Assert.True(adminKey.ExitCode == 0, adminKey.Stderr);
            Assert.False(File.Exists(Path.Combine(data, "pg", "postmaster.pid")));

            // A later start reuses the company: no second demo company, no new key printed.
            var (again, none, againOutput) = await StartServeAsync(data, port, expectKey: false);
            Assert.Null(none);
            var reused = new ApiClient(new Uri($"http://127.0.0.1:{port}"), adminKey.Stdout.Trim());
            Assert.Equal("Demo Company", (await reused.GetAsync("/v1/companies/current")).AssertOk()["name"]!.GetValue<string>());
            Assert.True((await reused.GetAsync("/v1/vendors")).AssertOk()["total"]!.GetValue<long>() == 3);
            CliRunner.Interrupt(again);
            await AssertStopsAsync(again, againOutput);
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The server stops on Ctrl-C: the host's own 30 s shutdown bound plus the embedded cluster's fast stop, which on a
    /// machine busy with the rest of the suite waits for its shutdown checkpoint. Past that it is killed and what it
    /// printed is shown, so a hang says where it hung.
    /// </summary>
    static async Task AssertStopsAsync(Process process, Task<string> output)
    {
        if (process.WaitForExit(60_000)) return;
        process.Kill(entireProcessTree: true);
        string printed;
        try { printed = await output.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (TimeoutException) { printed = "(nothing: a child still holds its output open)"; }
        Assert.Fail("server did not stop on Ctrl-C within 60 s; it printed:\n" + printed);
    }

    static async Task<(Process Process, string? Key, Task<string> Output)> StartServeAsync(string data, int port, bool expectKey)
    {
        var process = Process.Start(CliRunner.StartInfo(["serve", "--demo", "--data", data, "--urls", $"http://127.0.0.1:{port}"]))!;
        string? key = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException("server exited: " + await process.StandardError.ReadToEndAsync());
            if (line.StartsWith("API key: ")) key = line["API key: ".Length..].Trim();
            if (line.StartsWith("Ledgerlight listening on")) break;
        }
        Assert.Equal(expectKey, key is not null);
        // Keep draining both pipes so the server never blocks on a full one; what they held is shown if it hangs.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        return (process, key, Task.WhenAll(stdout, stderr).ContinueWith(_ => stdout.Result + stderr.Result));
    }
}
