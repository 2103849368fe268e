using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Diagnostics;

/// <summary>One captured log record or scope: its category, level, event id, formatted message, exception and state values.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string? Exception, IReadOnlyList<KeyValuePair<string, string>> Values)
{
    /// <summary>Every text the record carries: what a log sink could store.</summary>
    public IEnumerable<string> Texts => [Message, Exception ?? "", .. Values.Select(v => v.Value)];
}

/// <summary>
/// A logger provider that keeps every record of every category at every level, with the formatted message and each value of
/// its state (the properties a structured sink would store), and every scope's state.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _records = new();

    public IReadOnlyList<CapturedLog> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _records);

    public void Dispose()
    {
    }

    private static List<KeyValuePair<string, string>> ValuesOf(object? state)
    {
        var values = new List<KeyValuePair<string, string>>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                values.Add(new(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
            }
        }
        else if (state is not null)
        {
            values.Add(new("state", Convert.ToString(state, CultureInfo.InvariantCulture) ?? ""));
        }

        return values;
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            records.Enqueue(new CapturedLog(category, LogLevel.None, default, "scope", null, ValuesOf(state)));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception?.ToString(), ValuesOf(state)));
    }
}
