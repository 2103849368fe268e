using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Delivery;

public sealed record LogRecord(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);

/// <summary>Collects the log records of every <see cref="RecordingLogger{T}"/> of one service provider.</summary>
public sealed class LogSink
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public IReadOnlyList<LogRecord> WithEventId(int eventId) => [.. _records.Where(r => r.EventId == eventId)];

    public void Add(LogRecord record) => _records.Enqueue(record);
}

public sealed class RecordingLogger<T>(LogSink sink) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        sink.Add(new LogRecord(typeof(T).Name, logLevel, eventId.Id, formatter(state, exception), exception));
}
