using System.Text.Json;
using System.Text.Json.Serialization;
using ActionExec.Conditions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>Reads an RFC 3339 time with any offset (as UTC) and writes UTC with a <c>Z</c> and 3, 6 or 9 fractional digits.</summary>
internal sealed class ProtoTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = JsonTokens.ReadString(ref reader, "an RFC 3339 time string such as " + ProtoJson.TimestampExample);
        return ProtoJson.TryParseTimestamp(text, out var value)
            ? value
            : throw new JsonWireException($"The timestamp '{ConditionRules.Shorten(text)}' is not valid; write an RFC 3339 time such as {ProtoJson.TimestampExample}.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ProtoJson.FormatTimestamp(value));
}
