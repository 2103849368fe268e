using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using ActionExec.Dispatch;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ActionExec.Grpc;

/// <summary>
/// A protobuf message as the JSON targets receive, written and read by Google.Protobuf's proto-JSON: lowerCamelCase names and
/// fields at their default values left out, as ZITADEL's protojson writes them. Reading is strict: an unknown field or a value of
/// the wrong shape makes the answer unusable, and the call target that gave it fails with the parser's reason.
/// </summary>
internal sealed class ProtoJsonFormat : IFlowMessageFormat
{
    private readonly MessageDescriptor _descriptor;

    private ProtoJsonFormat(MessageDescriptor descriptor) => _descriptor = descriptor;

    /// <summary>The format of <typeparamref name="T"/>'s messages, made once per type from the first message seen.</summary>
    public static ProtoJsonFormat Of<T>(IMessage message) => Cache<T>.Instance ??= new ProtoJsonFormat(message.Descriptor);

    public void Write(Utf8JsonWriter writer, object message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(JsonFormatter.Default.Format((IMessage)message), skipInputValidation: true);
    }

    public bool TryRead(ReadOnlyMemory<byte> utf8Json, [NotNullWhen(true)] out object? message, [NotNullWhen(false)] out string? reason)
    {
        try
        {
            message = JsonParser.Default.Parse(Encoding.UTF8.GetString(utf8Json.Span), _descriptor);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException)
        {
            message = null;
            reason = $"its answer does not fit {_descriptor.FullName}: {e.Message}";
            return false;
        }
    }

    private static class Cache<T>
    {
        public static ProtoJsonFormat? Instance;
    }
}
