using System.Buffers;
using System.Collections.ObjectModel;
using ActionExec.Errors;

namespace ActionExec.TestConsole;

/// <summary>The rules of a console request: the five methods, and what the names and values of the three maps may hold.</summary>
internal static class ConsoleRequestRules
{
    public const string MethodField = "method";
    public const string UriFragmentsField = "uriFragments";
    public const string ParametersField = "parameters";
    public const string HeadersField = "headers";

    private const string MethodList = "GET, POST, PUT, PATCH or DELETE";

    // RFC 9110 §5.6.2: a field name is a token.
    private static readonly SearchValues<char> TokenChars = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> BrokenValueChars = SearchValues.Create("\r\n\0");

    /// <summary>Header names are compared without regard to case; fragment and parameter names exactly.</summary>
    public static StringComparer ComparerFor(string field) =>
        string.Equals(field, HeadersField, StringComparison.Ordinal) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>Checks a typed request and returns it with its maps normalised; throws with every violation.</summary>
    public static ConsoleRequest Validate(ConsoleRequest request)
    {
        var violations = new ViolationList();
        ValidateMethod(request.Method, violations);
        var normalized = request with
        {
            UriFragments = Normalize(request.UriFragments, UriFragmentsField, violations),
            Parameters = Normalize(request.Parameters, ParametersField, violations),
            Headers = Normalize(request.Headers, HeadersField, violations),
        };
        violations.ThrowIfAny();
        return normalized;
    }

    public static void ValidateMethod(string? method, ViolationList violations)
    {
        if (method is null)
        {
            violations.Add(MethodField, $"The method is missing; give one of {MethodList}.");
        }
        else if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
        {
            violations.Add(MethodField, $"The method '{MessageText.Shorten(method)}' is not supported; give one of {MethodList}, in capitals.");
        }
    }

    /// <summary>Checks one name and value of <paramref name="field"/>; adds a violation and returns false when either is broken.</summary>
    public static bool CheckEntry(string field, string name, string? value, ViolationList violations)
    {
        if (name.Length == 0)
        {
            violations.Add(field, $"A name is empty (its value is '{MessageText.Shorten(value ?? "")}'); give every entry a name.");
            return false;
        }

        if (value is null)
        {
            violations.Add(field, $"The value of '{MessageText.Shorten(name)}' is null; give a string, empty for no value.");
            return false;
        }

        if (!string.Equals(field, HeadersField, StringComparison.Ordinal))
        {
            return true;
        }

        if (name.AsSpan().ContainsAnyExcept(TokenChars))
        {
            violations.Add(field, $"The header name '{MessageText.Shorten(name)}' is not a valid HTTP field name; use only letters, digits and !#$%&'*+-.^_`|~.");
            return false;
        }

        if (value.AsSpan().ContainsAny(BrokenValueChars))
        {
            violations.Add(field, $"The value of the header '{MessageText.Shorten(name)}' contains CR, LF or NUL; remove them.");
            return false;
        }

        return true;
    }

    /// <summary>Copies a map into the console's order and comparer, checking every entry; a later duplicate under the comparer wins.</summary>
    private static IReadOnlyDictionary<string, string> Normalize(IReadOnlyDictionary<string, string>? map, string field, ViolationList violations)
    {
        var result = new OrderedDictionary<string, string>(map?.Count ?? 0, ComparerFor(field));
        if (map is null)
        {
            return new ReadOnlyDictionary<string, string>(result);
        }

        foreach (var (name, value) in map)
        {
            if (CheckEntry(field, name, value, violations))
            {
                result[name] = value;
            }
        }

        return new ReadOnlyDictionary<string, string>(result);
    }
}
