using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledgerlight.Tests.Infrastructure;

/// <summary>
/// Keeps the server's Error and Critical log entries in memory, so a test can assert that no
/// request ended in an unhandled exception (which the client only sees as a 500, if at all).
/// Register with <see cref="AddTo"/> from ServerOptions.ConfigureServices.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception, string? RequestId);

    readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Errors => _entries.ToList();

    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // The error boundary logs "{RequestId}"; tests send their own X-Request-Id to find the request again.
            var requestId = state is IEnumerable<KeyValuePair<string, object?>> values
                ? values.FirstOrDefault(v => v.Key == "RequestId").Value?.ToString()
                : null;
            owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception, requestId));
        }
    }
}
