using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Reliability;

/// <summary>
/// A logger provider that keeps everything every logger of a service provider writes, at every level: the formatted message,
/// each structured property (what a structured sink would store), the scopes around it and the exception.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> Logs => [.. _logs];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        private readonly AsyncLocal<ImmutableStack<string>> _scopes = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            var before = _scopes.Value ?? ImmutableStack<string>.Empty;
            _scopes.Value = before.Push(Render(state));
            return new Scope(this, before);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = _scopes.Value ?? ImmutableStack<string>.Empty;
            owner._logs.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), Render(state), string.Join(" | ", scopes), exception?.ToString()));
        }

        private static string Render<TState>(TState state)
        {
            if (state is not IEnumerable<KeyValuePair<string, object?>> properties)
            {
                return Convert.ToString(state, CultureInfo.InvariantCulture) ?? "";
            }

            var text = new StringBuilder();
            foreach (var (name, value) in properties)
            {
                text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append("; ");
            }

            return text.ToString();
        }

        private sealed class Scope(CapturingLogger logger, ImmutableStack<string> restore) : IDisposable
        {
            public void Dispose() => logger._scopes.Value = restore;
        }
    }
}
