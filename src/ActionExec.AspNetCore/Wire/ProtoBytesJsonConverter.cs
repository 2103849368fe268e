using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads a proto-JSON <c>bytes</c> value as the protobuf JSON mapping does: base64, standard or URL-safe alphabet, with or
/// without padding. Writes standard base64 with padding.
/// </summary>
internal sealed class ProtoBytesJsonConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = JsonTokens.ReadString(ref reader, "a base64 string");
        if (TryDecode(text, out var bytes))
        {
            return bytes;
        }

        var hint = text.Contains("-----BEGIN", StringComparison.Ordinal)
            ? " It looks like PEM text: a bytes field carries the base64 of the text (for example 'base64 -w0 key.pem')."
            : "";
        throw new JsonWireException($"The value is not base64; send the bytes as base64 (standard or URL-safe, padding optional).{hint}");
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(value);

    /// <summary>Decodes base64 in either alphabet (URL-safe when the text has <c>-</c> or <c>_</c>), with padding optional and line breaks ignored.</summary>
    internal static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        text = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        var urlSafe = text.AsSpan().IndexOfAny('-', '_') >= 0;
        var trimmed = text.AsSpan().TrimEnd('=');
        if (trimmed.Length % 4 == 1 || text.Length - trimmed.Length > 2)
        {
            return false;
        }

        if (urlSafe)
        {
            if (trimmed.IndexOfAny('+', '/') >= 0 || !Base64Url.IsValid(trimmed))
            {
                return false;
            }

            bytes = Base64Url.DecodeFromChars(trimmed);
            return true;
        }

        var padded = trimmed.Length % 4 == 0 ? trimmed.ToString() : string.Concat(trimmed, new string('=', 4 - (trimmed.Length % 4)));
        var buffer = new byte[padded.Length / 4 * 3];
        if (padded.AsSpan().IndexOfAny(" \t\r\n") >= 0 || !Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
