using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ActionExec.Errors;

namespace ActionExec.Dispatch;

/// <summary>
/// A request or response message going through a flow, in whichever form the host holds it: a <see cref="JsonNode"/>, a
/// <see cref="JsonElement"/>, UTF-8 JSON bytes or a typed value with its <see cref="JsonTypeInfo{T}"/>. Nothing is converted
/// until a target needs the message: a flow that matches no execution neither serialises nor allocates, and a message no call
/// target replaced is handed back as the same instance the host gave.
/// </summary>
/// <remarks>
/// The readers (<see cref="ToNode"/>, <see cref="ToElement"/>, <see cref="ToUtf8"/>, <see cref="ToValue{T}"/>) return the
/// original instance when the message is in that form already, and convert otherwise. <see langword="default"/> is JSON
/// <c>null</c>.
/// </remarks>
public readonly struct FlowMessage : IEquatable<FlowMessage>
{
    private static readonly byte[] Null = "null"u8.ToArray();

    private readonly object? _value;
    private readonly JsonTypeInfo? _typeInfo;
    private readonly JsonElement _element;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly IFlowMessageFormat? _format;
    private readonly Source _source;

    private FlowMessage(Source source, object? value, JsonTypeInfo? typeInfo, JsonElement element, ReadOnlyMemory<byte> bytes, bool replaced, IFlowMessageFormat? format = null)
    {
        _source = source;
        _format = format;
        _value = value;
        _typeInfo = typeInfo;
        _element = element;
        _bytes = bytes;
        IsReplaced = replaced;
    }

    private enum Source
    {
        Null,
        Node,
        Element,
        Utf8,
        Value,
    }

    /// <summary>Whether a call target replaced the message the host gave (then every reader converts the target's answer).</summary>
    public bool IsReplaced { get; }

    /// <summary>Whether the message is JSON <c>null</c> (a <see langword="null"/> node, an undefined element or <see langword="default"/>).</summary>
    public bool IsNull => _source == Source.Null;

    /// <summary>Wraps a <see cref="JsonNode"/>; <see langword="null"/> is JSON <c>null</c>.</summary>
    /// <param name="node">The message.</param>
    /// <returns>The message; <see cref="ToNode"/> returns <paramref name="node"/> itself until a target replaces it.</returns>
    public static FlowMessage FromNode(JsonNode? node) => node is null ? default : new(Source.Node, node, null, default, default, replaced: false);

    /// <summary>Wraps a <see cref="JsonElement"/>; an undefined one (<see langword="default"/>) is JSON <c>null</c>.</summary>
    /// <param name="element">The message.</param>
    /// <returns>The message; <see cref="ToElement"/> returns <paramref name="element"/> itself until a target replaces it.</returns>
    public static FlowMessage FromElement(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? default : new(Source.Element, null, null, element, default, replaced: false);

    /// <summary>Wraps UTF-8 JSON bytes, sent to targets as they are; they must hold one JSON value.</summary>
    /// <param name="utf8Json">The message.</param>
    /// <returns>The message; empty bytes are JSON <c>null</c>.</returns>
    public static FlowMessage FromUtf8(ReadOnlyMemory<byte> utf8Json) =>
        utf8Json.IsEmpty ? default : new(Source.Utf8, null, null, default, utf8Json, replaced: false);

    /// <summary>Wraps a typed message; it is serialised with <paramref name="typeInfo"/> only when a target needs it.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="value">The message.</param>
    /// <param name="typeInfo">The message's JSON contract (from a source-generated <c>JsonSerializerContext</c>).</param>
    /// <returns>The message; <see cref="ToValue{T}"/> returns <paramref name="value"/> itself until a target replaces it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public static FlowMessage FromValue<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return value is null ? default : new(Source.Value, value, typeInfo, default, default, replaced: false);
    }

    /// <summary>
    /// Wraps a message of the host's own kind (a protobuf message, say) with the format that writes it as JSON and reads a call
    /// target's answer back. It is written only when a target needs it, and each call target's answer must be read by
    /// <paramref name="format"/>: one it cannot read counts as that target's failure, with the format's reason.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="format">Writes the message and reads answers back.</param>
    /// <returns>The message; <see cref="ToMessage"/> returns <paramref name="message"/> itself until a target replaces it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="format"/> is null.</exception>
    public static FlowMessage FromMessage(object message, IFlowMessageFormat format)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(format);
        return new(Source.Value, message, null, default, default, replaced: false, format);
    }

    /// <summary>Compares two messages: the same form and the same instance (the same bytes, an element of the same JSON).</summary>
    /// <param name="left">A message.</param>
    /// <param name="right">Another message.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(FlowMessage left, FlowMessage right) => left.Equals(right);

    /// <summary>Compares two messages: the same form and the same instance (the same bytes, an element of the same JSON).</summary>
    /// <param name="left">A message.</param>
    /// <param name="right">Another message.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(FlowMessage left, FlowMessage right) => !left.Equals(right);

    /// <summary>The message as a <see cref="JsonNode"/>: the host's own node when it gave one and no target replaced it.</summary>
    /// <returns>The node, or <see langword="null"/> for JSON <c>null</c>.</returns>
    public JsonNode? ToNode() => _source switch
    {
        Source.Null => null,
        Source.Node => (JsonNode)_value!,
        Source.Element => JsonNode.Parse(_element.GetRawText()),
        _ => JsonNode.Parse(ToUtf8().Span),
    };

    /// <summary>The message as a <see cref="JsonElement"/>: the host's own element when it gave one and no target replaced it.</summary>
    /// <returns>The element; JSON <c>null</c> is an element of kind <see cref="JsonValueKind.Null"/>.</returns>
    public JsonElement ToElement()
    {
        if (_source == Source.Element)
        {
            return _element;
        }

        var reader = new Utf8JsonReader(ToUtf8().Span);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>The message as UTF-8 JSON bytes: the host's own bytes when it gave bytes, or the answer of the target that replaced it.</summary>
    /// <returns>The bytes; JSON <c>null</c> is <c>null</c>.</returns>
    public ReadOnlyMemory<byte> ToUtf8()
    {
        if (_source == Source.Utf8)
        {
            return _bytes;
        }

        if (_source == Source.Null)
        {
            return Null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>The message as a <typeparamref name="T"/>: the host's own value when it gave one and no target replaced it.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="typeInfo">The message's JSON contract.</param>
    /// <returns>The value; <see langword="default"/> for JSON <c>null</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.FailedPrecondition"/>: the message (a call target's answer) does not fit <typeparamref name="T"/>.</exception>
    public T? ToValue<T>(JsonTypeInfo<T> typeInfo) => ToValueOf(typeInfo, "message");

    /// <summary>
    /// The message of a <see cref="FromMessage"/> flow in the host's own kind: the host's instance until a call target replaced it,
    /// then what the format read from the last answer.
    /// </summary>
    /// <returns>The message; <see langword="null"/> when the message was not given with a format.</returns>
    public object? ToMessage() => _format is null ? null : _value;

    /// <summary>Writes the message as one JSON value.</summary>
    /// <param name="writer">The writer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (_source)
        {
            case Source.Node:
                ((JsonNode)_value!).WriteTo(writer);
                break;
            case Source.Element:
                _element.WriteTo(writer);
                break;
            case Source.Utf8:
                writer.WriteRawValue(_bytes.Span);
                break;
            case Source.Value when _format is not null:
                _format.Write(writer, _value!);
                break;
            case Source.Value:
                JsonSerializer.Serialize(writer, _value, _typeInfo!);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <inheritdoc />
    public bool Equals(FlowMessage other) =>
        _source == other._source
        && IsReplaced == other.IsReplaced
        && ReferenceEquals(_value, other._value)
        && _bytes.Equals(other._bytes)
        && (_source != Source.Element || JsonElement.DeepEquals(_element, other._element));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FlowMessage other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_source, IsReplaced, _value, _bytes);

    /// <summary>A call target's answer, which replaces the message.</summary>
    internal static FlowMessage Replaced(ReadOnlyMemory<byte> utf8Json) => new(Source.Utf8, null, null, default, utf8Json, replaced: true);

    /// <summary>
    /// A call target's answer replacing this message: read by the message's format when it has one (the answer it cannot read
    /// leaves the message as it is and says why in <paramref name="unusable"/>), taken as it is otherwise.
    /// </summary>
    internal FlowMessage Replace(ReadOnlyMemory<byte> utf8Json, out string? unusable)
    {
        unusable = null;
        if (_format is null)
        {
            return Replaced(utf8Json);
        }

        if (_format.TryRead(utf8Json, out var message, out var reason))
        {
            return new(Source.Utf8, message, null, default, utf8Json, replaced: true, _format);
        }

        unusable = reason;
        return this;
    }

    /// <summary>As <see cref="ToValue{T}"/>, naming the message (<c>request</c>, <c>response</c>) in the error.</summary>
    internal T? ToValueOf<T>(JsonTypeInfo<T> typeInfo, string what)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (_source == Source.Value && _value is T value)
        {
            return value;
        }

        if (_source == Source.Null)
        {
            return default;
        }

        try
        {
            return _source switch
            {
                Source.Node => ((JsonNode)_value!).Deserialize(typeInfo),
                Source.Element => _element.Deserialize(typeInfo),
                _ => JsonSerializer.Deserialize(ToUtf8().Span, typeInfo),
            };
        }
        catch (JsonException e)
        {
            throw new ActionExecException(
                ActionExecErrorCode.FailedPrecondition,
                $"A call target answered with a {what} that does not fit {typeof(T).Name}: {e.Message}",
                [],
                e);
        }
    }
}
