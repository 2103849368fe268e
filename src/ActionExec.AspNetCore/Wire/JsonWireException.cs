using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Thrown by the converters of this namespace with a message meant for the caller. The serializer fills in
/// <see cref="JsonException.Path"/> (where the converter ran); <see cref="RelativeField"/> is the path below
/// that point, for a converter that reads a nested value with its own serializer call.
/// </summary>
[SuppressMessage("Roslynator", "RCS1194:Implement exception constructors", Justification = "Only the converters of this namespace create it, always with a message.")]
internal sealed class JsonWireException : JsonException
{
    public JsonWireException(string message, string relativeField = "", Exception? innerException = null)
        : base(message, innerException)
    {
        RelativeField = relativeField;
    }

    public string RelativeField { get; }
}
