using System.Buffers;
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

    private static readonly SearchValues<char> PlainAscii = SearchValues.Create("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

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

    /// <summary>
    /// Whether <paramref name="value"/> is a well-formed value of <paramref name="scope"/> (a method, an event type or a function
    /// name), by the same rules as <see cref="Normalize"/>: the check a flow makes of the name it is given. Allocates nothing.
    /// </summary>
    /// <remarks>A method may omit its leading <c>/</c>, which counts towards the length as it does in a condition.</remarks>
    public static bool IsWellFormed(ConditionScope scope, ReadOnlySpan<char> value)
    {
        // One vectorised scan settles the characters of the common value; only another one is looked at character by character.
        if (value.IsEmpty || (!IsPlainAscii(value) && (FirstWhitespace(value) >= 0 || FirstControl(value) >= 0)))
        {
            return false;
        }

        return scope switch
        {
            ConditionScope.Method => value[0] == '/'
                ? value.Length <= MaxValueLength && MethodShape(value[1..]) == MethodProblem.None
                : value.Length < MaxValueLength && MethodShape(value) == MethodProblem.None,
            ConditionScope.Event => value.Length <= MaxValueLength && !value.Contains('*') && !HasEmptyDotSegment(value),
            ConditionScope.Function => value.Length <= MaxValueLength,
            _ => false,
        };
    }

    /// <summary>
    /// What is wrong with a value that <see cref="IsWellFormed"/> refused: every violation's sentence, each naming the value and
    /// the expected form. Only called on the way to an exception.
    /// </summary>
    public static string DescribeMalformed(ConditionKind kind, ConditionScope scope, string value)
    {
        var violations = new ViolationList();
        Normalize(kind, scope, value, "value", violations);
        return string.Join(" ", violations.Items.Select(static v => v.Description));
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
        if (FirstWhitespace(value) >= 0)
        {
            violations.Add(field, $"The {Name(scope)} '{Shorten(value)}' contains whitespace; remove it ({Example(scope)}).");
        }

        if (FirstControl(value) is var control and >= 0)
        {
            violations.Add(field, $"The {Name(scope)} '{Shorten(value)}' contains the control character U+{(int)value[control]:X4}; remove it ({Example(scope)}).");
        }
    }

    // Printable ASCII other than the space is neither whitespace nor a control character; that one vectorised scan settles the
    // common value, and only a value with other characters is looked at character by character.
    private static bool IsPlainAscii(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(PlainAscii);

    private static int FirstWhitespace(ReadOnlySpan<char> value)
    {
        if (IsPlainAscii(value))
        {
            return -1;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsWhiteSpace(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int FirstControl(ReadOnlySpan<char> value)
    {
        if (IsPlainAscii(value))
        {
            return -1;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]) && !char.IsWhiteSpace(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckMethod(string value, string normalized, string field, ViolationList violations)
    {
        switch (MethodShape(normalized.AsSpan(1)))
        {
            case MethodProblem.NoMethodSegment:
                violations.Add(field, $"The method '{Shorten(value)}' has no method segment; a full method has the form '/pkg.v1.Service/Method' (for a whole service use the service scope).");
                return;
            case MethodProblem.EmptyService:
                violations.Add(field, $"The method '{Shorten(value)}' has an empty service segment; a full method has the form '/pkg.v1.Service/Method'.");
                break;
            case MethodProblem.EmptyServiceAndMethod:
                violations.Add(field, $"The method '{Shorten(value)}' has an empty service segment; a full method has the form '/pkg.v1.Service/Method'.");
                violations.Add(field, $"The method '{Shorten(value)}' has an empty method segment; a full method has the form '/pkg.v1.Service/Method'.");
                break;
            case MethodProblem.EmptyServiceAndTooManySegments:
                violations.Add(field, $"The method '{Shorten(value)}' has an empty service segment; a full method has the form '/pkg.v1.Service/Method'.");
                violations.Add(field, $"The method '{Shorten(value)}' has more than two segments; a full method has the form '/pkg.v1.Service/Method'.");
                break;
            case MethodProblem.EmptyMethod:
                violations.Add(field, $"The method '{Shorten(value)}' has an empty method segment; a full method has the form '/pkg.v1.Service/Method'.");
                break;
            case MethodProblem.TooManySegments:
                violations.Add(field, $"The method '{Shorten(value)}' has more than two segments; a full method has the form '/pkg.v1.Service/Method'.");
                break;
        }
    }

    /// <summary>The shape of a method after its leading <c>/</c>: exactly two non-empty segments, <c>service/method</c>.</summary>
    private static MethodProblem MethodShape(ReadOnlySpan<char> rest)
    {
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            return MethodProblem.NoMethodSegment;
        }

        var method = rest[(slash + 1)..];
        var methodProblem = method.IsEmpty ? MethodProblem.EmptyMethod : method.Contains('/') ? MethodProblem.TooManySegments : MethodProblem.None;
        return (slash == 0, methodProblem) switch
        {
            (false, _) => methodProblem,
            (true, MethodProblem.EmptyMethod) => MethodProblem.EmptyServiceAndMethod,
            (true, MethodProblem.TooManySegments) => MethodProblem.EmptyServiceAndTooManySegments,
            _ => MethodProblem.EmptyService,
        };
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

        if (HasEmptyDotSegment(normalized))
        {
            violations.Add(field, $"The {what} '{Shorten(value)}' has an empty dot-segment; write non-empty segments separated by single dots, such as 'user.human.added'.");
        }
    }

    private static bool HasEmptyDotSegment(ReadOnlySpan<char> value) =>
        value.Length == 0 || value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal);

    private enum MethodProblem
    {
        None,
        NoMethodSegment,
        EmptyService,
        EmptyMethod,
        TooManySegments,
        EmptyServiceAndMethod,
        EmptyServiceAndTooManySegments,
    }
}
