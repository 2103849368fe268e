using System.Globalization;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Errors;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads the query string of <c>GET /v2/actions/deliveries</c> into a <see cref="DeliveryQuery"/>:
/// <c>status</c> (<c>pending</c>, <c>delivered</c>, <c>dead_lettered</c>, or the wire names <c>DELIVERY_STATUS_…</c>),
/// <c>targetId</c>, <c>from</c> and <c>to</c> (RFC 3339 times; a <c>+</c> offset that arrives decoded as a space is read as
/// <c>+</c>), <c>offset</c> and <c>limit</c> (whole numbers). Each at most once; any other parameter is an error. Only the form is
/// checked here: the ranges (a negative offset, a limit outside 1 to 1000, <c>from</c> after <c>to</c>) are checked by the
/// management service, for every caller alike.
/// </summary>
internal static class DeliveryQueryString
{
    public const string Status = "status";

    public const string TargetId = "targetId";

    public const string From = "from";

    public const string To = "to";

    public const string Offset = "offset";

    public const string Limit = "limit";

    private static readonly string[] Known = [Status, TargetId, From, To, Offset, Limit];

    /// <summary>Reads the query, listing every problem at once.</summary>
    /// <exception cref="ActionExecException">A parameter is unknown, repeated, empty or not of its form (<see cref="ActionExecErrorCode.InvalidArgument"/>, each violation on the parameter's name).</exception>
    public static DeliveryQuery Read(IQueryCollection query)
    {
        var violations = new List<FieldViolation>();
        QueryParameters.RejectUnknown(query, Known, violations);

        DeliveryStatus? status = null;
        if (Value(query, Status, "give pending, delivered or dead_lettered", violations) is { } statusText)
        {
            if (DeliveryJson.TryParseStatus(statusText, out var parsed))
            {
                status = parsed;
            }
            else
            {
                violations.Add(new FieldViolation(Status, $"The status '{ConditionRules.Shorten(statusText)}' is not known; give pending, delivered or dead_lettered (or DELIVERY_STATUS_PENDING, DELIVERY_STATUS_DELIVERED, DELIVERY_STATUS_DEAD_LETTERED)."));
            }
        }

        var targetId = Value(query, TargetId, "give the id of a target, or leave the parameter out", violations);
        var from = Time(query, From, violations);
        var to = Time(query, To, violations);
        var offset = Number(query, Offset, "how many deliveries to skip, such as offset=100", violations);
        var limit = Number(query, Limit, $"the page size from 1 to {DeliveryQuery.MaxLimit}, such as limit={DeliveryQuery.DefaultLimit}", violations);
        if (violations.Count > 0)
        {
            throw ActionExecException.InvalidArgument(violations);
        }

        return new DeliveryQuery
        {
            Status = status,
            TargetId = targetId,
            From = from,
            To = to,
            Offset = offset ?? 0,
            Limit = limit ?? DeliveryQuery.DefaultLimit,
        };
    }

    /// <summary>The parameter's text: <see langword="null"/> when absent; a violation when repeated or empty.</summary>
    private static string? Value(IQueryCollection query, string name, string hint, List<FieldViolation> violations)
    {
        var value = QueryParameters.Single(query, name, violations);
        if (value is { Length: 0 })
        {
            violations.Add(new FieldViolation(name, $"The query parameter '{name}' is empty; {hint}."));
            return null;
        }

        return value;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, List<FieldViolation> violations)
    {
        const string Hint = "give an RFC 3339 time such as 2024-12-18T07:50:47.492Z (a '+' offset written as %2B)";
        if (Value(query, name, Hint, violations) is not { } text)
        {
            return null;
        }

        // A '+' left unencoded in a URL arrives as a space; the offset is the only place a time can have one.
        if (ProtoJson.TryParseTimestamp(text, out var time) || ProtoJson.TryParseTimestamp(text.Replace(' ', '+'), out time))
        {
            return time;
        }

        violations.Add(new FieldViolation(name, $"The time '{ConditionRules.Shorten(text)}' is not valid; {Hint}."));
        return null;
    }

    private static int? Number(IQueryCollection query, string name, string hint, List<FieldViolation> violations)
    {
        if (Value(query, name, "give " + hint, violations) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        violations.Add(new FieldViolation(name, $"The {name} '{ConditionRules.Shorten(text)}' is not a whole number; give {hint}."));
        return null;
    }
}
