using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ledgerlight.Tests.Cli;

/// <summary>Runs the real Ledgerlight executable, as a user would from the command line.</summary>
public static class CliRunner
{
    public static string ServerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
            return Path.Combine(Infrastructure.RepoPaths.Root, "src", "Ledgerlight", "bin", configuration, "net10.0", "Ledgerlight.dll");
        }
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfo(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ServerDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("LEDGERLIGHT_DATABASE_URL");
        return psi;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Ctrl-C, as a terminal would send it. A test run started in the background of a non-interactive shell (a CI
    /// script's "cmd &amp;") passes SIGINT down as ignored, and an ignored signal stays ignored across exec, so the
    /// server could never see it; there the stop request is SIGTERM, what a service manager sends, which ends the
    /// host the same way.
    /// </summary>
    public static void Interrupt(Process process)
    {
        var signal = IgnoresSigint(process.Id) ? "-TERM" : "-INT";
        using var kill = Process.Start("kill", [signal, process.Id.ToString()]);
        kill!.WaitForExit();
    }

    static bool IgnoresSigint(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:"));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
    }
}
