using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads a proto-JSON enum value as text: its name (<c>"TEXT_FILTER_METHOD_CONTAINS"</c>) as given, or its number
/// (<c>4</c>) as the number's digits; <see cref="V2Wire"/> maps either. Writes the text as a JSON string.
/// </summary>
internal sealed class ProtoEnumJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt32(out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : throw new JsonWireException("The enum number is not a whole number in range; give the value's name, such as \"TEXT_FILTER_METHOD_EQUALS\".");
        }

        return JsonTokens.ReadString(ref reader, "an enum value's name, such as \"TEXT_FILTER_METHOD_EQUALS\", or its number");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
