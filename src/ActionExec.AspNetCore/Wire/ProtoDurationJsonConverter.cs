using System.Text.Json;
using System.Text.Json.Serialization;
using ActionExec.Conditions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>Reads and writes a <see cref="TimeSpan"/> as a proto-JSON duration (<c>"10s"</c>, <c>"1.500s"</c>).</summary>
internal sealed class ProtoDurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = JsonTokens.ReadString(ref reader, "a duration string such as " + ProtoJson.DurationExample);
        return ProtoJson.TryParseDuration(text, out var value)
            ? value
            : throw new JsonWireException($"The duration '{ConditionRules.Shorten(text)}' is not valid; write seconds with an 's' suffix and at most 9 fractional digits, such as {ProtoJson.DurationExample} or \"1.500s\".");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ProtoJson.FormatDuration(value));
}
