using System.Globalization;
using System.Text.RegularExpressions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>The proto-JSON text forms of <c>google.protobuf.Duration</c> and <c>google.protobuf.Timestamp</c>.</summary>
internal static partial class ProtoJson
{
    /// <summary>The largest duration proto-JSON allows, in seconds (10,000 years).</summary>
    public const long MaxDurationSeconds = 315_576_000_000;

    public const string DurationExample = "\"10s\"";

    public const string TimestampExample = "\"2024-12-18T07:50:47.492Z\"";

    /// <summary>
    /// Reads <c>[-]seconds[.fraction]s</c> with up to 9 fractional digits. Digits below the 100 ns resolution of
    /// <see cref="TimeSpan"/> are dropped.
    /// </summary>
    public static bool TryParseDuration(ReadOnlySpan<char> text, out TimeSpan value)
    {
        value = default;
        if (text.Length < 2 || text[^1] != 's')
        {
            return false;
        }

        var body = text[..^1];
        var negative = body[0] == '-';
        if (negative)
        {
            body = body[1..];
        }

        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? [] : body[(dot + 1)..];
        if (whole.IsEmpty || !IsDigits(whole) || (dot >= 0 && (fraction.IsEmpty || fraction.Length > 9 || !IsDigits(fraction)))
            || !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxDurationSeconds)
        {
            return false;
        }

        var ticks = (seconds * TimeSpan.TicksPerSecond) + FractionTicks(fraction);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Writes whole seconds as <c>10s</c>, otherwise with 3, 6 or 9 fractional digits (<c>1.500s</c>).</summary>
    public static string FormatDuration(TimeSpan value)
    {
        // Magnitude as unsigned, so that TimeSpan.MinValue does not overflow.
        var ticks = value.Ticks;
        var magnitude = ticks < 0 ? (ulong)(-(ticks + 1)) + 1 : (ulong)ticks;
        var seconds = magnitude / TimeSpan.TicksPerSecond;
        var fraction = (long)(magnitude % TimeSpan.TicksPerSecond);
        var sign = ticks < 0 ? "-" : "";
        return fraction == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds}.{FormatFraction(fraction)}s");
    }

    /// <summary>Reads an RFC 3339 time with any offset and converts it to UTC.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        var match = TimestampPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var offset = match.Groups["offset"].Value;
        var head = match.Groups["date"].Value + "T" + match.Groups["time"].Value + (offset is "Z" or "z" ? "+00:00" : offset);
        if (!DateTimeOffset.TryParseExact(head, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        var ticks = FractionTicks(match.Groups["fraction"].ValueSpan);
        if (parsed.UtcTicks > DateTimeOffset.MaxValue.UtcTicks - ticks)
        {
            return false;
        }

        value = parsed.AddTicks(ticks).ToUniversalTime();
        return true;
    }

    /// <summary>Writes UTC with a <c>Z</c> and 3, 6 or 9 fractional digits (<c>2024-12-18T07:50:47.492Z</c>).</summary>
    public static string FormatTimestamp(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + FormatFraction(utc.Ticks % TimeSpan.TicksPerSecond) + "Z";
    }

    /// <summary>3 digits for whole milliseconds, 6 for whole microseconds, else 9 (the proto-JSON rule).</summary>
    private static string FormatFraction(long ticks)
    {
        var nanos = ticks * 100;
        return nanos % 1_000_000 == 0 ? (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanos % 1_000 == 0 ? (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
            : nanos.ToString("D9", CultureInfo.InvariantCulture);
    }

    private static long FractionTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return ticks;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?<fraction>[0-9]{1,9}))?(?<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TimestampPattern();
}
