using ActionExec.Errors;

namespace ActionExec.Conditions;

/// <summary>
/// The validation and normalisation rules of condition values. Every rule adds its own
/// violation, so an input that breaks several rules reports them all.
/// </summary>
internal static class ConditionRules
{
    /// <summary>The most characters a condition value may have, counted after normalisation.</summary>
    public const int MaxValueLength = 1000;

    public const string GroupSuffix = ".*";

    /// <summary>Normalises and validates a value for <paramref name="scope"/>; null when it is invalid.</summary>
    public static string? Normalize(ConditionKind kind, ConditionScope scope, string? value, string field, ViolationList violations)
    {
        if (!Enum.IsDefined(kind))
        {
            violations.Add(field, $"The condition kind {(int)kind} is unknown; use request, response, function or event.");
            return null;
        }

        if (!Enum.IsDefined(scope))
        {
            violations.Add(field, $"The condition scope {(int)scope} is unknown; {Name(kind)} conditions take {ScopesOf(kind)}.");
            return null;
        }

        if (!IsScopeOf(kind, scope))
        {
            violations.Add(field, $"The scope '{Name(scope)}' does not apply to {Name(kind)} conditions; use {ScopesOf(kind)}.");
            return null;
        }

        if (scope == ConditionScope.All)
        {
            return null;
        }

        if (string.IsNullOrEmpty(value))
        {
            violations.Add(field, $"The {Name(scope)} must not be empty; give {Example(scope)}.");
            return null;
        }

        var before = violations.Count;
        var normalized = scope switch
        {
            ConditionScope.Method => value[0] == '/' ? value : "/" + value,
            ConditionScope.Group => value.EndsWith(GroupSuffix, StringComparison.Ordinal) ? value[..^GroupSuffix.Length] : value,
            _ => value,
        };

        CheckCharacters(value, scope, field, violations);
        if (normalized.Length > MaxValueLength)
        {
            // The limit counts the stored value, so a method given without its '/' may exceed it by the '/' restored.
            var counted = normalized.Length > value.Length ? " (counting the leading '/' that is restored)" : "";
            violations.Add(field, $"The {Name(scope)} '{Shorten(value)}' has {normalized.Length} characters{counted}; at most {MaxValueLength} are allowed.");
        }

        switch (scope)
        {
            case ConditionScope.Method:
                CheckMethod(value, normalized, field, violations);
                break;
            case ConditionScope.Service:
                if (value.Contains('/', StringComparison.Ordinal))
                {
                    violations.Add(field, $"The service '{Shorten(value)}' contains '/'; a service is a name such as 'pkg.v1.Service' (for one method use the method scope: '/pkg.v1.Service/Method').");
                }

                break;
            case ConditionScope.Event:
                CheckDotted(value, value, "event", field, violations);
                break;
            case ConditionScope.Group:
                if (normalized.Length == 0)
                {
                    violations.Add(field, $"The group '{value}' names no group; give a dotted prefix such as 'user.human' (or use all events).");
                }
                else
                {
                    CheckDotted(value, normalized, "group", field, violations);
                }

                break;
        }

        return violations.Count == before ? normalized : null;
    }

    public static bool IsScopeOf(ConditionKind kind, ConditionScope scope) => kind switch
    {
        ConditionKind.Request or ConditionKind.Response => scope is ConditionScope.Method or ConditionScope.Service or ConditionScope.All,
        ConditionKind.Function => scope == ConditionScope.Function,
        ConditionKind.Event => scope is ConditionScope.Event or ConditionScope.Group or ConditionScope.All,
        _ => false,
    };

    public static string Name(ConditionKind kind) => kind switch
    {
        ConditionKind.Request => "request",
        ConditionKind.Response => "response",
        ConditionKind.Function => "function",
        ConditionKind.Event => "event",
        _ => kind.ToString(),
    };

    public static string Name(ConditionScope scope) => scope switch
    {
        ConditionScope.All => "all",
        ConditionScope.Service => "service",
        ConditionScope.Method => "method",
        ConditionScope.Function => "function name",
        ConditionScope.Event => "event",
        ConditionScope.Group => "group",
        _ => scope.ToString(),
    };

    /// <summary>Prepares a value for a message: cut when long, control characters escaped.</summary>
    public static string Shorten(string value) => MessageText.Shorten(value);

    private static string ScopesOf(ConditionKind kind) => kind switch
    {
        ConditionKind.Request or ConditionKind.Response => "method, service or all",
        ConditionKind.Function => "name",
        _ => "event, group or all",
    };

    private static string Example(ConditionScope scope) => scope switch
    {
        ConditionScope.Method => "a full method such as '/pkg.v1.Service/Method'",
        ConditionScope.Service => "a service such as 'pkg.v1.Service'",
        ConditionScope.Function => "a function name such as 'preuserinfo'",
        ConditionScope.Event => "an event type such as 'user.human.added'",
        _ => "a group such as 'user.human'",
    };

    private static void CheckCharacters(string value, ConditionScope scope, string field, ViolationList violations)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                violations.Add(field, $"The {Name(scope)} '{Shorten(value)}' contains whitespace; remove it ({Example(scope)}).");
                break;
            }
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && !char.IsWhiteSpace(c))
            {
                violations.Add(field, $"The {Name(scope)} '{Shorten(value)}' contains the control character U+{(int)c:X4}; remove it ({Example(scope)}).");
                break;
            }
        }
    }

    private static void CheckMethod(string value, string normalized, string field, ViolationList violations)
    {
        // normalized is "/" + service + "/" + method: exactly two non-empty segments.
        var rest = normalized.AsSpan(1);
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            violations.Add(field, $"The method '{Shorten(value)}' has no method segment; a full method has the form '/pkg.v1.Service/Method' (for a whole service use the service scope).");
            return;
        }

        if (slash == 0)
        {
            violations.Add(field, $"The method '{Shorten(value)}' has an empty service segment; a full method has the form '/pkg.v1.Service/Method'.");
        }

        var method = rest[(slash + 1)..];
        if (method.IsEmpty)
        {
            violations.Add(field, $"The method '{Shorten(value)}' has an empty method segment; a full method has the form '/pkg.v1.Service/Method'.");
        }
        else if (method.Contains('/'))
        {
            violations.Add(field, $"The method '{Shorten(value)}' has more than two segments; a full method has the form '/pkg.v1.Service/Method'.");
        }
    }

    private static void CheckDotted(string value, string normalized, string what, string field, ViolationList violations)
    {
        if (normalized.Contains('*', StringComparison.Ordinal))
        {
            var fix = string.Equals(what, "event", StringComparison.Ordinal)
                ? "an event type is literal; to match a group of events use the group scope, such as 'user.human'"
                : "only one trailing '.*' is allowed, such as 'user.human.*'";
            violations.Add(field, $"The {what} '{Shorten(value)}' contains '*'; {fix}.");
        }

        var span = normalized.AsSpan();
        if (span.Length == 0 || span[0] == '.' || span[^1] == '.' || span.Contains("..", StringComparison.Ordinal))
        {
            violations.Add(field, $"The {what} '{Shorten(value)}' has an empty dot-segment; write non-empty segments separated by single dots, such as 'user.human.added'.");
        }
    }
}
