using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Ledgerlight.Tests.Infrastructure;

/// <summary>
/// A real SMTP server process on loopback (node + the "smtp-server" package, tests/Ledgerlight.Tests/smtp-sink):
/// accepts any login and writes each message to <see cref="Folder"/> as .eml plus its envelope as .json.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    static readonly SemaphoreSlim NpmGate = new(1, 1);
    readonly Process _process;
    public int Port { get; }
    public string Folder { get; }

    SmtpSink(Process process, int port, string folder) => (_process, Port, Folder) = (process, port, folder);

    /// <summary>One delivered message: envelope recipients, the raw MIME text, and whether it came over TLS.</summary>
    public sealed record Message(IReadOnlyList<string> To, string Raw, bool Secure = false);

    /// <summary>A TLS sink's key and certificate files (PEM) and the certificate's SHA-1 thumbprint, for pinning it in a test.</summary>
    public sealed record Tls(string Mode, string KeyFile, string CertificateFile, string Thumbprint)
    {
        /// <summary>A fresh self-signed certificate for 127.0.0.1; <paramref name="mode"/> is "ssl" (implicit TLS) or "starttls".</summary>
        public static Tls SelfSigned(string mode)
        {
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", rsa,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var dir = Path.Combine(Path.GetTempPath(), "ledgerlight-smtp-tls", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var (key, crt) = (Path.Combine(dir, "key.pem"), Path.Combine(dir, "cert.pem"));
            File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(crt, cert.ExportCertificatePem());
            return new Tls(mode, key, crt, cert.GetCertHashString());
        }
    }

    /// <summary>
    /// Holds a port with an SMTP server that is "down" (421 to every connection) until a sink takes
    /// it over. Holding it matters: a port that is merely free can be taken by another test's
    /// listener, and the mail would then hang on a server that never greets.
    /// </summary>
    public sealed class Refusing : IDisposable
    {
        readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        readonly System.Collections.Concurrent.ConcurrentBag<TcpClient> _held = [];
        public int Port { get; }
        /// <summary>Accept connections and say nothing: a hung mail server.</summary>
        public bool Silent { get; init; }

        public Refusing()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    if (Silent) { _held.Add(client); continue; } // accept, never greet
                    using (client) await client.GetStream().WriteAsync("421 service not available\r\n"u8.ToArray());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException) { }
        }

        public void Dispose()
        {
            _listener.Stop();
            foreach (var c in _held) c.Dispose();
        }
    }

    public static async Task<SmtpSink> StartAsync(int port = 0, Tls? tls = null)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "Ledgerlight.Tests", "smtp-sink");
        await NpmGate.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "smtp-server")))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
                {
                    WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
                })!;
                var err = npm.StandardError.ReadToEndAsync();
                await npm.StandardOutput.ReadToEndAsync();
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0) throw new InvalidOperationException("npm ci (smtp-sink) failed: " + await err);
            }
        }
        finally
        {
            NpmGate.Release();
        }
        var folder = Path.Combine(Path.GetTempPath(), "ledgerlight-smtp-sink", Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.ArgumentList.Add("sink.mjs");
        psi.ArgumentList.Add(port.ToString());
        psi.ArgumentList.Add(folder);
        if (tls is not null)
            foreach (var a in new[] { tls.Mode, tls.KeyFile, tls.CertificateFile }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("listening "))
            throw new InvalidOperationException("smtp sink did not start: " + await process.StandardError.ReadToEndAsync());
        return new SmtpSink(process, int.Parse(line["listening ".Length..]), folder);
    }

    public IReadOnlyList<Message> Messages()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.GetFiles(Folder, "*.eml").Order().Select(eml =>
        {
            var envelope = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(eml, ".json")))!;
            return new Message(envelope["to"]!.AsArray().Select(t => t!.GetValue<string>()).ToList(), File.ReadAllText(eml),
                envelope["secure"]?.GetValue<bool>() ?? false);
        }).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        await Task.CompletedTask;
    }
}
