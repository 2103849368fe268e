using System.Collections.Frozen;
using ActionExec.Errors;

namespace ActionExec.Targets;

/// <summary>The rules of a target (name, endpoint, timeout, type, payload type and signature scheme), checked all at once.</summary>
internal static class TargetRules
{
    /// <summary>The most characters a target name may have.</summary>
    public const int MaxNameLength = 1000;

    /// <summary>The most characters an endpoint may have.</summary>
    public const int MaxEndpointLength = 2048;

    /// <summary>The most characters a target id may have.</summary>
    public const int MaxIdLength = 200;

    /// <summary>The default maximum of a target's timeout: 270 seconds.</summary>
    public static readonly TimeSpan DefaultMaxTimeout = TimeSpan.FromSeconds(270);

    /// <summary>The endpoint schemes every host supports: <c>http</c> and <c>https</c>.</summary>
    public static readonly FrozenSet<string> HttpSchemes = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "http", "https");

    /// <summary>Validates a target specification.</summary>
    /// <param name="spec">The specification.</param>
    /// <param name="maxTimeout">The largest timeout allowed.</param>
    /// <param name="schemes">The endpoint schemes that an invoker claims; <see langword="null"/> for <c>http</c> and <c>https</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTimeout"/> is not greater than zero.</exception>
    /// <exception cref="ActionExecException">Any rule is broken (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation is listed.</exception>
    public static void Validate(TargetSpec spec, TimeSpan maxTimeout, IReadOnlySet<string>? schemes = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxTimeout, TimeSpan.Zero);
        var violations = new ViolationList();
        Validate(spec, maxTimeout, schemes, violations);
        violations.ThrowIfAny();
    }

    internal static void Validate(TargetSpec spec, TimeSpan maxTimeout, IReadOnlySet<string>? schemes, ViolationList violations)
    {
        schemes ??= HttpSchemes;
        CheckName(spec.Name, "name", violations);
        CheckEndpoint(spec.Endpoint, schemes, "endpoint", violations);

        if (spec.Timeout <= TimeSpan.Zero)
        {
            violations.Add("timeout", $"The timeout {Format(spec.Timeout)} is not greater than zero; give a positive duration such as \"10s\".");
        }
        else if (spec.Timeout > maxTimeout)
        {
            violations.Add("timeout", $"The timeout {Format(spec.Timeout)} exceeds the maximum of {Format(maxTimeout)}; give at most \"{Format(maxTimeout)}\".");
        }

        if (!Enum.IsDefined(spec.Type))
        {
            violations.Add("targetType", $"The target type {(int)spec.Type} is unknown; use restWebhook, restCall or restAsync.");
        }
        else if (spec is { Type: TargetType.Async, InterruptOnError: true })
        {
            violations.Add("restAsync.interruptOnError", "An async target cannot interrupt the flow, because nobody waits for it; remove interruptOnError or use restWebhook or restCall.");
        }

        if (!Enum.IsDefined(spec.PayloadType))
        {
            violations.Add("payloadType", $"The payload type {(int)spec.PayloadType} is unknown; use json, jwt or jwe.");
        }

        if (!Enum.IsDefined(spec.SignatureScheme))
        {
            violations.Add("signatureScheme", $"The signature scheme {(int)spec.SignatureScheme} is unknown; use zitadel or standard-webhooks.");
        }
    }

    /// <summary>Checks a target id reference: 1 to 200 characters, no whitespace or control characters.</summary>
    internal static bool CheckId(string? id, string field, ViolationList violations)
    {
        if (string.IsNullOrEmpty(id))
        {
            violations.Add(field, "The target id is empty; give the id returned when the target was created.");
            return false;
        }

        if (id.Length > MaxIdLength)
        {
            violations.Add(field, $"The target id '{Shorten(id)}' has {id.Length} characters; target ids have at most {MaxIdLength}.");
            return false;
        }

        foreach (var c in id)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                violations.Add(field, $"The target id '{Shorten(id)}' contains whitespace or a control character; give the id returned when the target was created.");
                return false;
            }
        }

        return true;
    }

    internal static void CheckName(string? name, string field, ViolationList violations)
    {
        if (string.IsNullOrEmpty(name))
        {
            violations.Add(field, "The name is empty; give a name of 1 to 1000 characters.");
        }
        else if (name.Length > MaxNameLength)
        {
            violations.Add(field, $"The name '{Shorten(name)}' has {name.Length} characters; at most {MaxNameLength} are allowed.");
        }
        else if (string.IsNullOrWhiteSpace(name))
        {
            violations.Add(field, "The name is only whitespace; give a name that can be told apart.");
        }
    }

    internal static void CheckEndpoint(string? endpoint, IReadOnlySet<string> schemes, string field, ViolationList violations)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            violations.Add(field, "The endpoint is empty; give an absolute URI such as \"https://example.com/hook\".");
            return;
        }

        if (endpoint.Length > MaxEndpointLength)
        {
            violations.Add(field, $"The endpoint '{Shorten(endpoint)}' has {endpoint.Length} characters; at most {MaxEndpointLength} are allowed.");
            return;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || endpoint.StartsWith('/'))
        {
            // 'https://' or 'http:///path' do not parse at all; say what is missing rather than only that it is invalid.
            if (uri is null && HasEmptyAuthority(endpoint))
            {
                violations.Add(field, $"The endpoint '{Shorten(endpoint)}' has no host; give one such as \"https://example.com/hook\".");
                return;
            }

            violations.Add(field, $"The endpoint '{Shorten(endpoint)}' is not an absolute URI; give one such as \"https://example.com/hook\".");
            return;
        }

        if (!schemes.Contains(uri.Scheme))
        {
            var known = string.Join(", ", schemes.Order(StringComparer.Ordinal));
            violations.Add(field, $"The endpoint '{Shorten(endpoint)}' uses the scheme '{uri.Scheme}', which no target invoker handles; use one of: {known}.");
        }
        else if (HttpSchemes.Contains(uri.Scheme) && string.IsNullOrEmpty(uri.Host))
        {
            violations.Add(field, $"The endpoint '{Shorten(endpoint)}' has no host; give one such as \"https://example.com/hook\".");
        }
        else if (HasUserInfo(endpoint))
        {
            // Credentials in an endpoint would be stored and shown to everyone who may read targets; they are not echoed here either.
            violations.Add(field, $"The endpoint '{Shorten($"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}")}' has credentials (user information before '@'); remove them from the endpoint and have the receiver check the request's signature instead.");
        }
    }

    /// <summary>Whether the authority of <paramref name="endpoint"/> has an <c>@</c>, even an empty user name before it (<c>http://@host/</c>).</summary>
    private static bool HasUserInfo(string endpoint)
    {
        var separator = endpoint.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }

        var authority = endpoint.AsSpan(separator + 3);
        var end = authority.IndexOfAny('/', '?', '#');
        return (end >= 0 ? authority[..end] : authority).Contains('@');
    }

    /// <summary>Whether <paramref name="endpoint"/> has the form <c>scheme://</c> followed by no host (only a port, path, query or fragment).</summary>
    private static bool HasEmptyAuthority(string endpoint)
    {
        var separator = endpoint.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }

        var authority = endpoint.AsSpan(separator + 3);
        var end = authority.IndexOfAny('/', '?', '#');
        if (end >= 0)
        {
            authority = authority[..end];
        }

        authority = authority[(authority.LastIndexOf('@') + 1)..];
        return authority.IsEmpty || authority[0] == ':';
    }

    private static string Shorten(string value) => MessageText.Shorten(value);

    /// <summary>Seconds to the tick, so that a value just over a limit never reads as equal to it: <c>10s</c>, <c>1.5s</c>, <c>270.0000001s</c>.</summary>
    private static string Format(TimeSpan value) => value.TotalSeconds.ToString("0.#######", System.Globalization.CultureInfo.InvariantCulture) + "s";
}
