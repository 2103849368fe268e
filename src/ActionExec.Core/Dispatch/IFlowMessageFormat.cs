using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ActionExec.Dispatch;

/// <summary>
/// Writes a message of the host's own kind as the JSON targets receive, and reads a call target's answer back into that kind,
/// for <see cref="FlowMessage.FromMessage"/>: the gRPC package's proto-JSON format is one. Reading is strict where the kind is:
/// an answer the format cannot read counts as that target's failure, with the reason the format gives.
/// </summary>
public interface IFlowMessageFormat
{
    /// <summary>Writes <paramref name="message"/> as one JSON value.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="message">The message, as given to <see cref="FlowMessage.FromMessage"/> or read by <see cref="TryRead"/>.</param>
    void Write(Utf8JsonWriter writer, object message);

    /// <summary>Reads a call target's answer, already checked to be one JSON value.</summary>
    /// <param name="utf8Json">The answer.</param>
    /// <param name="message">The message read, when the answer fits.</param>
    /// <param name="reason">Why the answer does not fit, when it does not: a phrase such as <c>its answer does not fit the message: …</c>.</param>
    /// <returns>Whether the answer fits.</returns>
    bool TryRead(ReadOnlyMemory<byte> utf8Json, [NotNullWhen(true)] out object? message, [NotNullWhen(false)] out string? reason);
}
