using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActionExec.AspNetCore.Tests.Support;

namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>
/// Checks one answer of the bad-input run: a 2xx with a JSON body, or a 4xx with the error body of spec §10 — its code one that
/// belongs to the status, a message, details of the documented shape, and nothing of .NET's insides in any text.
/// </summary>
internal static partial class AnswerCheck
{
    private static readonly Dictionary<int, int[]> CodesByStatus = new()
    {
        [400] = [3, 9],
        [401] = [16],
        [403] = [7],
        [404] = [5],
        [409] = [6],
        [413] = [3],
        [415] = [3],
    };

    /// <summary>The largest error body that is not suspected of growing with its input.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    /// <summary>What is wrong with the answer; null when nothing is.</summary>
    public static string? Problem(int status, string? contentType, byte[] body)
    {
        if (status is >= 200 and < 300)
        {
            return IsJson(body) ? null : $"{status} with a body that is not JSON";
        }

        if (!CodesByStatus.TryGetValue(status, out var codes))
        {
            return $"status {status}, which the API never answers with";
        }

        if (!string.Equals(contentType, "application/json; charset=utf-8", StringComparison.Ordinal))
        {
            return $"{status} with the content type '{contentType}'";
        }

        if (body.Length == 0)
        {
            return $"{status} with an empty body";
        }

        // 100 listed violations of a few hundred characters each, twice (message and details), fit; a list that grows with
        // the input does not.
        if (body.Length > MaxErrorBytes)
        {
            return $"{status} with an error body of {body.Length:N0} bytes";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return ErrorProblem(document.RootElement, codes);
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON";
        }
    }

    private static string? ErrorProblem(JsonElement error, int[] codes)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return "an error body that is not an object";
        }

        foreach (var property in error.EnumerateObject())
        {
            if (property.Name is not ("code" or "message" or "details"))
            {
                return $"an error body with the property '{property.Name}'";
            }
        }

        if (!error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out var number)
            || !codes.Contains(number))
        {
            return $"the code {(error.TryGetProperty("code", out var c) ? c.GetRawText() : "(none)")}, not one of {string.Join(", ", codes)}";
        }

        if (TextProblem(error, "message") is { } messageProblem)
        {
            return messageProblem;
        }

        if (!error.TryGetProperty("details", out var details))
        {
            return null;
        }

        if (details.ValueKind != JsonValueKind.Array || details.GetArrayLength() != 1)
        {
            return "details that are not an array of one detail";
        }

        var detail = details[0];
        if (detail.ValueKind != JsonValueKind.Object
            || !detail.TryGetProperty("@type", out var type)
            || type.ValueKind != JsonValueKind.String
            || !string.Equals(type.GetString(), ErrorAssert.BadRequestType, StringComparison.Ordinal)
            || !detail.TryGetProperty("fieldViolations", out var violations)
            || violations.ValueKind != JsonValueKind.Array
            || violations.GetArrayLength() == 0
            || detail.EnumerateObject().Count() != 2)
        {
            return "a detail that is not a google.rpc.BadRequest with field violations";
        }

        foreach (var violation in violations.EnumerateArray())
        {
            if (violation.ValueKind != JsonValueKind.Object
                || !violation.TryGetProperty("field", out var field)
                || field.ValueKind != JsonValueKind.String
                || violation.EnumerateObject().Any(p => p.Name is not ("field" or "description")))
            {
                return "a field violation that is not {field, description}";
            }

            if (TextProblem(violation, "description") is { } descriptionProblem)
            {
                return descriptionProblem;
            }
        }

        return null;
    }

    /// <summary>A text must be there, say something, and give nothing of the implementation away.</summary>
    private static string? TextProblem(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            return $"no {name}";
        }

        var text = value.GetString()!;
        return Leak().Match(text) is { Success: true } leak ? $"a {name} that shows '{leak.Value}': {text}" : null;
    }

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Text for a failure message: control characters and lone surrogates as <c>\\uXXXX</c>, so any output can hold it.</summary>
    public static string Printable(string text)
    {
        var printable = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                printable.Append(c).Append(text[++i]);
            }
            else if ((char.IsControl(c) && c != '\n') || char.IsSurrogate(c))
            {
                printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                printable.Append(c);
            }
        }

        return printable.ToString();
    }

    public static string Text(byte[] body) => body.Length <= 600 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body.AsSpan(0, 600)) + "…";

    // A stack frame, an exception type, a namespace of .NET or of this library, or a CLR type name. No alternative can
    // backtrack far, so that a message quoting 10,000 characters is searched in linear time.
    [GeneratedRegex(@"\sat [^\s(]+\(|Exception\b|\b(?:System|Microsoft|ActionExec)\.[A-Z]|\b(?:String|Int32|Int64|UInt64|Boolean|TimeSpan|JsonElement|Nullable)\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 10_000)]
    private static partial Regex Leak();
}
