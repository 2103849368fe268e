using System.Globalization;
using System.Text;

namespace ActionExec.Errors;

/// <summary>Prepares input values for error messages.</summary>
internal static class MessageText
{
    private const int MaxLength = 80;

    /// <summary>
    /// Cuts a long value (so a 10,000-character input does not produce a 10,000-character error) and writes
    /// control characters as <c>\uXXXX</c> (so an echoed value cannot break a log line or a terminal).
    /// </summary>
    public static string Shorten(string value)
    {
        var cut = value.Length <= MaxLength ? value : string.Concat(value.AsSpan(0, MaxLength - 3), "...");
        if (!cut.Any(char.IsControl))
        {
            return cut;
        }

        var builder = new StringBuilder(cut.Length + 16);
        foreach (var c in cut)
        {
            _ = char.IsControl(c) ? builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : builder.Append(c);
        }

        return builder.ToString();
    }
}
