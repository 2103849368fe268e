using ActionExec.AspNetCore.Wire;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;
using Google.Protobuf.WellKnownTypes;
using Zitadel.Action.V2Beta;
using Zitadel.Pagination.V2Beta;

namespace ActionExec.Grpc.Management;

/// <summary>
/// The messages of <c>zitadel.action.v2beta</c> mapped onto the JSON API's wire records, so that one reading decides every rule and
/// names every field the same way, and the model mapped back onto the messages.
/// </summary>
internal static class V2BetaWire
{
    private const int MaxNanos = 999_999_999;

    public static ConditionJson? ToWire(Zitadel.Action.V2Beta.Condition? condition) => condition?.ConditionTypeCase switch
    {
        null => null,
        Zitadel.Action.V2Beta.Condition.ConditionTypeOneofCase.Request => new ConditionJson { Request = Api(condition.Request) },
        Zitadel.Action.V2Beta.Condition.ConditionTypeOneofCase.Response => new ConditionJson { Response = Api(condition.Response) },
        Zitadel.Action.V2Beta.Condition.ConditionTypeOneofCase.Function => new ConditionJson { Function = new FunctionConditionJson { Name = condition.Function.Name } },
        Zitadel.Action.V2Beta.Condition.ConditionTypeOneofCase.Event => new ConditionJson
        {
            Event = new EventConditionJson
            {
                Event = condition.Event.ConditionCase == EventExecution.ConditionOneofCase.Event ? condition.Event.Event : null,
                Group = condition.Event.ConditionCase == EventExecution.ConditionOneofCase.Group ? condition.Event.Group : null,
                All = condition.Event.ConditionCase == EventExecution.ConditionOneofCase.All ? condition.Event.All : null,
            },
        },
        _ => new ConditionJson(),
    };

    public static ExecutionEntryJson ToWire(Zitadel.Action.V2Beta.ExecutionTargetType entry) => entry.TypeCase switch
    {
        Zitadel.Action.V2Beta.ExecutionTargetType.TypeOneofCase.Target => new ExecutionEntryJson { Target = entry.Target },
        Zitadel.Action.V2Beta.ExecutionTargetType.TypeOneofCase.Include => new ExecutionEntryJson { Include = ToWire(entry.Include) ?? new ConditionJson() },
        _ => new ExecutionEntryJson(),
    };

    public static SetExecutionRequestJson ToWire(Zitadel.Action.V2Beta.SetExecutionRequest request) => new()
    {
        Condition = ToWire(request.Condition),
        Targets = [.. request.Targets.Select(ToWire)],
    };

    public static TargetRequestJson ToWire(CreateTargetRequest request) => new()
    {
        Name = request.Name,
        Endpoint = request.Endpoint,
        Timeout = ToTimeSpan(request.Timeout, "timeout") ?? TimeSpan.Zero,
        RestWebhook = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestWebhook ? new RestTargetJson { InterruptOnError = request.RestWebhook.InterruptOnError } : null,
        RestCall = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestCall ? new RestTargetJson { InterruptOnError = request.RestCall.InterruptOnError } : null,
        RestAsync = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestAsync ? new RestTargetJson() : null,
    };

    public static TargetRequestJson ToWire(UpdateTargetRequest request) => new()
    {
        Name = request.HasName ? request.Name : null,
        Endpoint = request.HasEndpoint ? request.Endpoint : null,
        Timeout = ToTimeSpan(request.Timeout, "timeout"),
        RestWebhook = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestWebhook ? new RestTargetJson { InterruptOnError = request.RestWebhook.InterruptOnError } : null,
        RestCall = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestCall ? new RestTargetJson { InterruptOnError = request.RestCall.InterruptOnError } : null,
        RestAsync = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestAsync ? new RestTargetJson() : null,
    };

    /// <summary>
    /// Checks <c>expiration_signing_key</c> of an update: only <c>0s</c> (replace the key at once) is allowed. Checked with the rest
    /// of the change, so that a bad value changes nothing.
    /// </summary>
    public static void CheckExpirationSigningKey(Duration? expirationSigningKey)
    {
        if (ToTimeSpan(expirationSigningKey, "expiration_signing_key") is { } expiration && expiration != TimeSpan.Zero)
        {
            throw ActionExecException.InvalidArgument(
                "expiration_signing_key",
                $"The old signing key can only expire at once; give 0s, or leave expiration_signing_key out to keep the key (given: {expiration}).");
        }
    }

    /// <summary>A target id from a request; an empty one is an error on <paramref name="field"/>.</summary>
    public static string TargetId(string id, string field) =>
        id.Length > 0 ? id : throw ActionExecException.InvalidArgument(field, "The target id is empty; give the id of a target.");

    /// <summary>A duration as a time span; a duration that is not normalized (nanos out of range, or signs that differ) is an error on <paramref name="field"/>.</summary>
    public static TimeSpan? ToTimeSpan(Duration? duration, string field)
    {
        if (duration is null)
        {
            return null;
        }

        if (duration.Nanos is > MaxNanos or < -MaxNanos
            || (duration.Seconds < 0 && duration.Nanos > 0) || (duration.Seconds > 0 && duration.Nanos < 0))
        {
            throw ActionExecException.InvalidArgument(
                field,
                $"The duration {duration.Seconds}s {duration.Nanos}ns is not a valid google.protobuf.Duration; nanos must be within ±999,999,999 and have the sign of seconds.");
        }

        return duration.Seconds is > Duration.MaxSeconds or < Duration.MinSeconds
            ? throw ActionExecException.InvalidArgument(field, $"The duration of {duration.Seconds} seconds is out of the range of google.protobuf.Duration; give at most 270s.")
            : duration.ToTimeSpan();
    }

    public static Zitadel.Action.V2Beta.Condition FromModel(Conditions.Condition condition)
    {
        var message = new Zitadel.Action.V2Beta.Condition();
        switch (condition.Kind)
        {
            case ConditionKind.Request:
                message.Request = condition.Scope switch
                {
                    ConditionScope.Method => new RequestExecution { Method = condition.Value },
                    ConditionScope.Service => new RequestExecution { Service = condition.Value },
                    _ => new RequestExecution { All = true },
                };
                break;
            case ConditionKind.Response:
                message.Response = condition.Scope switch
                {
                    ConditionScope.Method => new ResponseExecution { Method = condition.Value },
                    ConditionScope.Service => new ResponseExecution { Service = condition.Value },
                    _ => new ResponseExecution { All = true },
                };
                break;
            case ConditionKind.Function:
                message.Function = new FunctionExecution { Name = condition.Value };
                break;
            default:
                message.Event = condition.Scope switch
                {
                    ConditionScope.Event => new EventExecution { Event = condition.Value },
                    ConditionScope.Group => new EventExecution { Group = condition.Value },
                    _ => new EventExecution { All = true },
                };
                break;
        }

        return message;
    }

    public static Zitadel.Action.V2Beta.Execution FromModel(Executions.Execution execution)
    {
        var message = new Zitadel.Action.V2Beta.Execution
        {
            Condition = FromModel(execution.Condition),
            ChangeDate = Timestamp.FromDateTimeOffset(execution.Details.ChangeDate),
        };
        foreach (var entry in execution.Entries)
        {
            message.Targets.Add(entry.Kind == ExecutionEntryKind.Target
                ? new Zitadel.Action.V2Beta.ExecutionTargetType { Target = entry.TargetId }
                : new Zitadel.Action.V2Beta.ExecutionTargetType { Include = FromModel(entry.Include!) });
        }

        return message;
    }

    public static Zitadel.Action.V2Beta.Target FromModel(Targets.Target target)
    {
        var message = new Zitadel.Action.V2Beta.Target
        {
            Id = target.Id,
            Name = target.Name,
            Endpoint = target.Endpoint,
            Timeout = Duration.FromTimeSpan(target.Timeout),
            CreationDate = Timestamp.FromDateTimeOffset(target.CreationDate),
            ChangeDate = Timestamp.FromDateTimeOffset(target.ChangeDate),
        };
        switch (target.Type)
        {
            case TargetType.Webhook:
                message.RestWebhook = new RESTWebhook { InterruptOnError = target.InterruptOnError };
                break;
            case TargetType.Call:
                message.RestCall = new RESTCall { InterruptOnError = target.InterruptOnError };
                break;
            default:
                message.RestAsync = new RESTAsync();
                break;
        }

        return message;
    }

    public static ListDetails Details(int count) => new() { TotalResult = (ulong)count, AppliedLimit = (ulong)count };

    private static ApiConditionJson Api(RequestExecution request) => new()
    {
        Method = request.ConditionCase == RequestExecution.ConditionOneofCase.Method ? request.Method : null,
        Service = request.ConditionCase == RequestExecution.ConditionOneofCase.Service ? request.Service : null,
        All = request.ConditionCase == RequestExecution.ConditionOneofCase.All ? request.All : null,
    };

    private static ApiConditionJson Api(ResponseExecution response) => new()
    {
        Method = response.ConditionCase == ResponseExecution.ConditionOneofCase.Method ? response.Method : null,
        Service = response.ConditionCase == ResponseExecution.ConditionOneofCase.Service ? response.Service : null,
        All = response.ConditionCase == ResponseExecution.ConditionOneofCase.All ? response.All : null,
    };
}
