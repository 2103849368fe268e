using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>Records the event id of every entry logged, to check that a path the test drives was really taken.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<EventId> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(Events);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<EventId> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue(eventId);
    }
}
