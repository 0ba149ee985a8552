using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Ledgerlight.Platform;

/// <summary>
/// Kestrel refuses some requests while parsing them, before the application runs: a request target
/// that decodes to NUL (<c>/v1/vendors/%00</c>), malformed request lines or headers, headers too
/// large... It answers those with an empty 4xx and closes the connection, and offers no hook to
/// change that answer. This connection middleware watches what Kestrel writes to the socket and
/// gives exactly those answers the Light envelope. It recognises them by shape: a 4xx with
/// <c>Content-Length: 0</c> and <c>Connection: close</c>, which the application never writes
/// (<see cref="ErrorBoundaryMiddleware"/> fills every empty 4xx it produces).
/// </summary>
public static class KestrelRejections
{
    public static void Use(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Transport = new Duplex(connection.Transport.Input, new EnvelopeWriter(connection.Transport.Output));
            return next(connection);
        });

    sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>Passes every write through untouched, except a header block shaped like Kestrel's own rejection.</summary>
    sealed class EnvelopeWriter(PipeWriter inner) : PipeWriter
    {
        Memory<byte> _lastHandedOut;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _lastHandedOut = inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (bytes is >= MinLength and <= MaxLength && _lastHandedOut.Length >= bytes
                && Rewrite(_lastHandedOut.Span[..bytes]) is { } replacement)
            {
                replacement.CopyTo(inner.GetSpan(replacement.Length));
                inner.Advance(replacement.Length);
                return;
            }
            inner.Advance(bytes);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
    }

    const int MinLength = 40, MaxLength = 1024;
    static readonly byte[] StatusPrefix = "HTTP/1.1 4"u8.ToArray();
    static readonly byte[] EmptyBody = "\r\nContent-Length: 0\r\n"u8.ToArray();
    static readonly byte[] Close = "\r\nConnection: close\r\n"u8.ToArray();
    static readonly byte[] End = "\r\n\r\n"u8.ToArray();

    /// <summary>The same response with an envelope body, or null when <paramref name="written"/> is not a bare rejection.</summary>
    internal static byte[]? Rewrite(ReadOnlySpan<byte> written)
    {
        if (!written.StartsWith(StatusPrefix) || !written.EndsWith(End)
            || written.IndexOf(EmptyBody) < 0 || written.IndexOf(Close) < 0
            || written.IndexOf("\r\nContent-Type:"u8) >= 0 || written.IndexOf("\r\nTransfer-Encoding:"u8) >= 0)
            return null;
        if (!int.TryParse(Encoding.ASCII.GetString(written.Slice(9, 3)), out var status)) return null;

        var requestId = Guid.CreateVersion7().ToString();
        var message = status switch
        {
            400 => "The request could not be parsed: its request line or headers are malformed (an encoded NUL, %00, in the path, for instance)",
            414 => "The request target is too long",
            431 => "The request headers are too large",
            _ => $"The request was refused before it could be processed ({ErrorTypes.NameFor(status)})",
        };
        var body = Json.Serialize(new ErrorEnvelope(ErrorTypes.NameFor(status), ErrorTypes.ForStatus(status), message, [], requestId));

        var head = Encoding.ASCII.GetString(written[..^End.Length])
            .Replace("\r\nContent-Length: 0", $"\r\nContent-Length: {body.Length}");
        var bytes = Encoding.ASCII.GetBytes($"{head}\r\nContent-Type: {Json.ContentType}\r\n{RequestIds.Header}: {requestId}\r\n\r\n");
        return [.. bytes, .. body];
    }
}
