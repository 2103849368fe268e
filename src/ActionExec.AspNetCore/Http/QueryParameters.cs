using ActionExec.Errors;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>Reads the query parameters of the management API's GET routes: each given at most once, and none the route does not know.</summary>
internal static class QueryParameters
{
    /// <summary>
    /// The value of a parameter that may be given once: <see langword="null"/> when it is absent, the text (perhaps empty) when it
    /// is given once; when it is given more than once, a violation naming it and <see langword="null"/>.
    /// </summary>
    public static string? Single(IQueryCollection query, string name, List<FieldViolation> violations)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            violations.Add(new FieldViolation(name, $"The query parameter '{name}' is given {values.Count} times; give it once."));
            return null;
        }

        return values.ToString();
    }

    /// <summary>Adds a violation for every parameter not in <paramref name="known"/>, so that a misspelt filter is not silently ignored.</summary>
    public static void RejectUnknown(IQueryCollection query, IReadOnlyList<string> known, List<FieldViolation> violations)
    {
        foreach (var (name, _) in query)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                violations.Add(new FieldViolation(
                    name.Length <= 100 ? name : string.Concat(name.AsSpan(0, 100), "…"),
                    $"The query parameter is not known; use {string.Join(", ", known)}."));
            }
        }
    }
}
