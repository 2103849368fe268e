using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ActionExec.Json;

/// <summary>Builds the <see cref="JsonElement"/>s the console returns: JSON <c>null</c>, a parsed body, a string.</summary>
internal static class JsonElements
{
    public static JsonElement Null { get; } = Parse("null"u8);

    public static JsonElement EmptyObject { get; } = Parse("{}"u8);

    /// <summary>Parses UTF-8 JSON that is known to be valid.</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Parses a body when it is exactly one JSON value (whitespace and a byte order mark aside) in valid UTF-8, without lone surrogate escapes.</summary>
    public static bool TryParseWhole(ReadOnlySpan<byte> utf8, out JsonElement element)
    {
        element = default;
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        // A lone surrogate escape parses, but no writer can write it back: such a body is text, not JSON, to the console.
        if (!Utf8.IsValid(utf8) || utf8.IndexOfAnyExcept(" \t\r\n"u8) < 0 || JsonEscapes.TryFindLoneSurrogate(utf8, out _, out _))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8);
            var value = JsonElement.ParseValue(ref reader);

            // Anything after the value but whitespace makes the reader throw.
            if (reader.Read())
            {
                return false;
            }

            element = value;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A JSON string holding <paramref name="text"/>.</summary>
    public static JsonElement String(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return Parse(buffer.WrittenSpan);
    }

    /// <summary>A JSON string holding UTF-8 bytes as text, with invalid bytes replaced by U+FFFD.</summary>
    public static JsonElement Text(ReadOnlySpan<byte> utf8) => String(Encoding.UTF8.GetString(utf8));
}
