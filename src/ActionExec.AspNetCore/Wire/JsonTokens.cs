using System.Text;
using System.Text.Json;
using ActionExec.Conditions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>Small reader helpers shared by the converters; they fail only with <see cref="JsonWireException"/>.</summary>
internal static class JsonTokens
{
    /// <summary>Reads a string token, or fails naming the token that was found and what was expected.</summary>
    public static string ReadString(ref Utf8JsonReader reader, string expected) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new JsonWireException($"The value {Describe(ref reader)} is not {expected}.");

    /// <summary>Names the current token: the literal of a number, <c>true</c> or <c>false</c>, otherwise its JSON type.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => ConditionRules.Shorten(Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.StartObject => "(an object)",
        JsonTokenType.StartArray => "(an array)",
        JsonTokenType.Null => "null",
        _ => "(a " + reader.TokenType + " token)",
    };
}
