using System.Collections.ObjectModel;
using System.Text;
using ActionExec.TestConsole;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads the URL-encoded strings of the console (<c>id=1</c>, <c>page=2&amp;q=x</c>, <c>Content-Type=application/json</c>)
/// into maps. The grammar, and so what is malformed:
/// <list type="bullet">
/// <item>An empty string is the empty map. Otherwise it is pairs separated by <c>&amp;</c>, and no pair may be empty
/// (<c>a=1&amp;&amp;b=2</c>, and a leading or trailing <c>&amp;</c>, are malformed).</item>
/// <item>A pair is <c>name=value</c>, split at its first <c>=</c>: the value may hold further <c>=</c> (<c>a=b=c</c> is
/// <c>a</c> → <c>b=c</c>, as Base64 padding needs), a pair without <c>=</c> (<c>a</c>) is malformed, and so is an empty name
/// (<c>=x</c>); <c>a=</c> is <c>a</c> → empty.</item>
/// <item><c>+</c> is a space and <c>%XX</c> a byte, in names and values alike; a <c>%</c> without two hexadecimal digits after
/// it (<c>%zz</c>, <c>100%</c>) is malformed, as are decoded bytes that are not UTF-8 (<c>%FF</c>).</item>
/// <item>A name given twice keeps its first position and takes its last value (as PHP's <c>parse_str</c>, which Fusio uses).
/// Header names are compared without regard to case and must be HTTP field names; header values may not hold CR, LF or NUL.</item>
/// </list>
/// Every malformed pair is reported, each as a violation on the field.
/// </summary>
internal static class UrlEncodedForm
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads <paramref name="text"/>; malformed pairs are left out and added to <paramref name="violations"/> under <paramref name="field"/>.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text, string field, ViolationList violations)
    {
        var map = new OrderedDictionary<string, string>(ConsoleRequestRules.ComparerFor(field));
        if (string.IsNullOrEmpty(text))
        {
            return new ReadOnlyDictionary<string, string>(map);
        }

        var number = 0;
        foreach (var range in text.AsSpan().Split('&'))
        {
            number++;
            var pair = text[range];
            if (pair.Length == 0)
            {
                violations.Add(field, $"Pair {number} of '{MessageText.Shorten(text)}' is empty; separate pairs with a single '&', as in 'a=1&b=2'.");
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                violations.Add(field, $"The pair '{MessageText.Shorten(pair)}' has no '='; write it as name=value, or name= for an empty value.");
                continue;
            }

            if (equals == 0)
            {
                violations.Add(field, $"The pair '{MessageText.Shorten(pair)}' has no name; write it as name=value.");
                continue;
            }

            if (Decode(pair.AsSpan(0, equals), pair, field, violations) is { } name
                && Decode(pair.AsSpan(equals + 1), pair, field, violations) is { } value
                && ConsoleRequestRules.CheckEntry(field, name, value, violations))
            {
                map[name] = value;
            }
        }

        return new ReadOnlyDictionary<string, string>(map);
    }

    /// <summary>Decodes <c>+</c> and <c>%XX</c> of one name or value into UTF-8 text; null (with a violation) when that fails.</summary>
    private static string? Decode(ReadOnlySpan<char> encoded, string pair, string field, ViolationList violations)
    {
        if (encoded.IndexOfAny('%', '+') < 0)
        {
            return encoded.ToString();
        }

        var bytes = new List<byte>(encoded.Length);
        Span<byte> scratch = stackalloc byte[4];
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c != '%')
            {
                // A surrogate pair is encoded together; a lone surrogate cannot be UTF-8.
                var length = char.IsHighSurrogate(c) && i + 1 < encoded.Length && char.IsLowSurrogate(encoded[i + 1]) ? 2 : 1;
                try
                {
                    var written = StrictUtf8.GetBytes(encoded.Slice(i, length), scratch);
                    bytes.AddRange(scratch[..written]);
                }
                catch (EncoderFallbackException)
                {
                    violations.Add(field, $"The pair '{MessageText.Shorten(pair)}' holds a character that is not valid Unicode text; remove it.");
                    return null;
                }

                i += length - 1;
            }
            else if (i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                bytes.Add((byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2])));
                i += 2;
            }
            else
            {
                var found = encoded.Slice(i, Math.Min(3, encoded.Length - i)).ToString();
                violations.Add(field, $"The pair '{MessageText.Shorten(pair)}' has the invalid escape '{MessageText.Shorten(found)}'; write '%' followed by two hexadecimal digits, and a literal '%' as %25.");
                return null;
            }
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            violations.Add(field, $"The pair '{MessageText.Shorten(pair)}' decodes to bytes that are not UTF-8; percent-encode text as UTF-8, such as %C3%BC for 'ü'.");
            return null;
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
