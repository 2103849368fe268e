using System.Text;

namespace ActionExec.Json;

/// <summary>
/// Finds <c>\uXXXX</c> escapes of half a surrogate pair without its other half, such as <c>"\uD800"</c>. The JSON grammar
/// allows them, but they are not text: the reader fails on them only when the string is decoded, and a writer refuses to write
/// them, so a body holding one must be refused before it is read — or it fails far from where it came in.
/// </summary>
internal static class JsonEscapes
{
    /// <summary>Finds the first lone surrogate escape in UTF-8 JSON text.</summary>
    /// <param name="utf8Json">The JSON text; it need not be valid JSON.</param>
    /// <param name="offset">The byte offset of the escape's backslash, or -1.</param>
    /// <param name="escape">The escape as written, such as <c>\uD800</c>, or the empty string.</param>
    /// <returns>Whether one was found.</returns>
    public static bool TryFindLoneSurrogate(ReadOnlySpan<byte> utf8Json, out int offset, out string escape)
    {
        var i = utf8Json.IndexOf((byte)'\\');
        while (i >= 0 && i < utf8Json.Length)
        {
            if (!TryReadUnicodeEscape(utf8Json, i, out var unit))
            {
                // Any other escape is two bytes, \\ included, so that its second byte is never taken for the start of one.
                i = Next(utf8Json, i + 2);
                continue;
            }

            if (char.IsHighSurrogate(unit) && TryReadUnicodeEscape(utf8Json, i + 6, out var low) && char.IsLowSurrogate(low))
            {
                i = Next(utf8Json, i + 12);
                continue;
            }

            if (char.IsSurrogate(unit))
            {
                offset = i;
                escape = Encoding.ASCII.GetString(utf8Json.Slice(i, 6));
                return true;
            }

            i = Next(utf8Json, i + 6);
        }

        offset = -1;
        escape = "";
        return false;
    }

    private static int Next(ReadOnlySpan<byte> utf8Json, int from)
    {
        if (from >= utf8Json.Length)
        {
            return -1;
        }

        var next = utf8Json[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    private static bool TryReadUnicodeEscape(ReadOnlySpan<byte> utf8Json, int at, out char unit)
    {
        unit = '\0';
        if (at + 6 > utf8Json.Length || utf8Json[at] != '\\' || utf8Json[at + 1] != 'u')
        {
            return false;
        }

        var value = 0;
        for (var k = at + 2; k < at + 6; k++)
        {
            var digit = HexValue(utf8Json[k]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
