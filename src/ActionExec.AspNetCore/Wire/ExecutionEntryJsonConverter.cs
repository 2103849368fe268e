using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads an entry from a plain target id string or from its object form, and writes the object form. The
/// included condition goes through the generated metadata; its failures are re-thrown with their path below
/// the entry, which the serializer then prefixes with the entry's own path.
/// </summary>
internal sealed class ExecutionEntryJsonConverter : JsonConverter<ExecutionEntryJson>
{
    private const string TargetName = "target";
    private const string IncludeName = "include";

    public override ExecutionEntryJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new() { Target = reader.GetString() };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonWireException($"The entry {JsonTokens.Describe(ref reader)} is neither a target id nor an object; give \"<target id>\", {{\"target\": \"<target id>\"}} or {{\"include\": <condition>}}.");
        }

        string? target = null;
        ConditionJson? include = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case TargetName:
                    target = reader.TokenType == JsonTokenType.Null ? null : ReadTarget(ref reader);
                    break;
                case IncludeName:
                    include = ReadInclude(ref reader, options);
                    break;
                default:
                    throw new JsonWireException(JsonFailure.UnknownProperty(name, [TargetName, IncludeName]), name);
            }
        }

        return new() { Target = target, Include = include };
    }

    public override void Write(Utf8JsonWriter writer, ExecutionEntryJson value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Target is not null)
        {
            writer.WriteString(TargetName, value.Target);
        }

        if (value.Include is not null)
        {
            writer.WritePropertyName(IncludeName);
            JsonSerializer.Serialize(writer, value.Include, ConditionTypeInfo(options));
        }

        writer.WriteEndObject();
    }

    private static string ReadTarget(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonTokens.ReadString(ref reader, "a target id string");
        }
        catch (JsonWireException exception)
        {
            throw new JsonWireException(exception.Message, TargetName);
        }
    }

    private static ConditionJson? ReadInclude(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var typeInfo = ConditionTypeInfo(options);
        try
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo);
        }
        catch (JsonException exception)
        {
            var violation = JsonFailure.Describe(exception, typeInfo, IncludeName);
            throw new JsonWireException(violation.Description, JsonFailure.Join(IncludeName, violation.Field), exception);
        }
    }

    private static JsonTypeInfo<ConditionJson> ConditionTypeInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<ConditionJson>)options.GetTypeInfo(typeof(ConditionJson));
}
