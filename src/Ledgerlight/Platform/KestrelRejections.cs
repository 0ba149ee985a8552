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
        listen.Use(next => async connection =>
        {
            var output = new EnvelopeWriter(connection.Transport.Output);
            var input = new LingeringReader(connection.Transport.Input, output);
            connection.Transport = new Duplex(input, output);
            try
            {
                await next(connection);
            }
            finally
            {
                if (output.Rejected) await LingerAsync(input.Inner, output.Inner);
            }
        });

    /// <summary>How long, and how much of the refused request's body, a lingering close reads before it gives up.</summary>
    static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(5);
    const long LingerLimit = RequestBody.DrainLimit;

    /// <summary>
    /// A lingering close (RFC 9112 §9.6): after a rejection Kestrel closes the socket at once, and closing it with the
    /// client's unsent body still arriving makes the kernel answer with a reset that can destroy the 4xx before the
    /// client reads it (a client still uploading then sees "connection reset", not the envelope). So the connection's
    /// completion is held back until the client has stopped sending and closed its side, or the limits run out; what
    /// arrives meanwhile is read and dropped.
    /// </summary>
    static async Task LingerAsync(PipeReader input, PipeWriter output)
    {
        try
        {
            await output.FlushAsync();
            using var timeout = new CancellationTokenSource(LingerTime);
            long read = 0;
            while (read <= LingerLimit)
            {
                var result = await input.ReadAsync(timeout.Token);
                read += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ConnectionResetException)
        {
            // The client went away or took too long: nothing more to protect.
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }

    sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>The connection's input; once Kestrel has refused the request, its completion is left to the lingering close.</summary>
    sealed class LingeringReader(PipeReader inner, EnvelopeWriter output) : PipeReader
    {
        public PipeReader Inner => inner;
        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);
        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);
        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null)
        {
            if (!output.Rejected) inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null) =>
            output.Rejected ? ValueTask.CompletedTask : inner.CompleteAsync(exception);
    }

    /// <summary>Passes every write through untouched, except a header block shaped like Kestrel's own rejection.</summary>
    sealed class EnvelopeWriter(PipeWriter inner) : PipeWriter
    {
        Memory<byte> _lastHandedOut;

        public PipeWriter Inner => inner;

        /// <summary>Kestrel refused the request: it will close the connection, which the lingering close then does instead.</summary>
        public bool Rejected { get; private set; }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _lastHandedOut = inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (bytes is >= MinLength and <= MaxLength && _lastHandedOut.Length >= bytes
                && Rewrite(_lastHandedOut.Span[..bytes]) is { } replacement)
            {
                Rejected = true;
                replacement.CopyTo(inner.GetSpan(replacement.Length));
                inner.Advance(replacement.Length);
                return;
            }
            inner.Advance(bytes);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            if (!Rejected) inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null) => Rejected ? ValueTask.CompletedTask : inner.CompleteAsync(exception);
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
