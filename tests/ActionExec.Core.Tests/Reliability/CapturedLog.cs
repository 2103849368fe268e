using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Reliability;

/// <summary>One log entry as <see cref="CapturingLoggerProvider"/> kept it.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, string Properties, string Scopes, string? Exception)
{
    /// <summary>Everything of the entry a sink could store.</summary>
    public string AllText => string.Join('\n', Category, Message, Properties, Scopes, Exception ?? "");
}
