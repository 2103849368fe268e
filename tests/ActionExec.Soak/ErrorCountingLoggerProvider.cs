using Microsoft.Extensions.Logging;

namespace ActionExec.Soak;

/// <summary>
/// Counts what the library logs as an error with an exception attached: the library logs an exception only when something
/// failed that it did not expect (a dead letter is an error, but carries none), so each one is an unhandled failure.
/// </summary>
internal sealed class ErrorCountingLoggerProvider(SoakCounters counters) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(counters, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(SoakCounters counters, string category) : ILogger
    {
        private readonly bool _library = category.StartsWith("ActionExec", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => _library && logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && exception is not null)
            {
                counters.AddUnhandled($"{category} event {eventId.Id}: {formatter(state, exception)} {exception.GetType().Name}: {exception.Message}");
            }
        }
    }
}
