using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActionExec.Dispatch;

/// <summary>
/// A flow's request or response as the host handed it over (a <see cref="JsonElement"/>, a <see cref="JsonNode"/>) or as bytes
/// (a typed message serialized, or a call target's answer). The payload writer writes it straight into the envelope, so the
/// host's JSON is not first serialized into a buffer of its own.
/// </summary>
internal readonly struct FlowMessage
{
    private static readonly byte[] Null = "null"u8.ToArray();

    private readonly JsonElement _element;
    private readonly JsonNode? _node;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly Source _source;

    private FlowMessage(JsonElement element, JsonNode? node, ReadOnlyMemory<byte> bytes, Source source)
    {
        _element = element;
        _node = node;
        _bytes = bytes;
        _source = source;
    }

    private enum Source
    {
        Bytes,
        Element,
        Node,
    }

    /// <summary>A <see cref="JsonElement"/>; an undefined one (<see langword="default"/>) is written as <c>null</c>.</summary>
    public static FlowMessage From(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? FromBytes(Null) : new(element, null, default, Source.Element);

    /// <summary>A <see cref="JsonNode"/>; <see langword="null"/> is written as <c>null</c>.</summary>
    public static FlowMessage From(JsonNode? node) => node is null ? FromBytes(Null) : new(default, node, default, Source.Node);

    /// <summary>UTF-8 JSON bytes, written as they are.</summary>
    public static FlowMessage FromBytes(ReadOnlyMemory<byte> json) => new(default, null, json, Source.Bytes);

    /// <summary>Writes the message as one JSON value; bytes are checked to be one.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (_source)
        {
            case Source.Element:
                _element.WriteTo(writer);
                break;
            case Source.Node:
                _node!.WriteTo(writer);
                break;
            default:
                writer.WriteRawValue(_bytes.Span);
                break;
        }
    }
}
