using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActionExec.Samples.Tests.Support;

/// <summary>Keeps every log record of every category, with its level, event id and message.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

    public void Dispose()
    {
    }

    public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class Logger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception)));
    }
}
