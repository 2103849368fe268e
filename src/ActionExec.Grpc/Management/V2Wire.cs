using System.Collections.Immutable;
using ActionExec.AspNetCore.Wire;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Zitadel.Action.V2;
using Zitadel.Filter.V2;
using V2Beta = Zitadel.Action.V2Beta;

namespace ActionExec.Grpc.Management;

/// <summary>
/// The messages of <c>zitadel.action.v2</c> mapped onto the JSON API's wire records, and the model mapped back. The condition
/// messages have the field numbers of the v2beta ones, so they are carried across as bytes and mapped by <see cref="V2BetaWire"/>:
/// one mapping of conditions for every version.
/// </summary>
internal static class V2Wire
{
    private static readonly EnumDescriptor PayloadTypes = TargetReflection.Descriptor.FindTypeByName<EnumDescriptor>("PayloadType");

    public static ConditionJson? ToWire(Zitadel.Action.V2.Condition? condition) =>
        condition is null ? null : V2BetaWire.ToWire(V2Beta.Condition.Parser.ParseFrom(condition.ToByteString()));

    public static Zitadel.Action.V2.Condition FromModel(Conditions.Condition condition) =>
        Zitadel.Action.V2.Condition.Parser.ParseFrom(V2BetaWire.FromModel(condition).ToByteString());

    /// <summary>The GA <c>SetExecution</c>: its targets are target ids, each an entry of the list in order.</summary>
    public static SetExecutionRequestJson ToWire(Zitadel.Action.V2.SetExecutionRequest request) => new()
    {
        Condition = ToWire(request.Condition),
        Targets = [.. request.Targets.Select(static id => new ExecutionEntryJson { Target = id })],
    };

    public static TargetRequestJson ToWire(CreateTargetRequest request) => new()
    {
        Name = request.Name,
        Endpoint = request.Endpoint,
        Timeout = V2BetaWire.ToTimeSpan(request.Timeout, "timeout") ?? TimeSpan.Zero,
        RestWebhook = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestWebhook ? new RestTargetJson { InterruptOnError = request.RestWebhook.InterruptOnError } : null,
        RestCall = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestCall ? new RestTargetJson { InterruptOnError = request.RestCall.InterruptOnError } : null,
        RestAsync = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestAsync ? new RestTargetJson() : null,
        PayloadType = ToWire(request.PayloadType),
    };

    public static TargetRequestJson ToWire(UpdateTargetRequest request) => new()
    {
        Name = request.HasName ? request.Name : null,
        Endpoint = request.HasEndpoint ? request.Endpoint : null,
        Timeout = V2BetaWire.ToTimeSpan(request.Timeout, "timeout"),
        RestWebhook = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestWebhook ? new RestTargetJson { InterruptOnError = request.RestWebhook.InterruptOnError } : null,
        RestCall = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestCall ? new RestTargetJson { InterruptOnError = request.RestCall.InterruptOnError } : null,
        RestAsync = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestAsync ? new RestTargetJson() : null,
        PayloadType = ToWire(request.PayloadType),
    };

    /// <summary>
    /// A payload type as the JSON API spells it (<c>PAYLOAD_TYPE_JWT</c>), so that the JSON API's reading accepts or refuses it;
    /// unspecified is absent (the default, or no change), and a number no name has is passed on as that number, to be refused.
    /// </summary>
    public static string? ToWire(Zitadel.Action.V2.PayloadType payloadType) => payloadType switch
    {
        Zitadel.Action.V2.PayloadType.Unspecified => null,
        _ => PayloadTypes.FindValueByNumber((int)payloadType)?.Name
            ?? ((int)payloadType).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A payload type of the model as the enum value of the same name (<c>PAYLOAD_TYPE_JSON</c>).</summary>
    public static Zitadel.Action.V2.PayloadType FromModel(Targets.PayloadType payloadType) =>
        PayloadTypes.FindValueByName(TargetWire.WritePayloadType(payloadType)) is { } value
            ? (Zitadel.Action.V2.PayloadType)value.Number
            : Zitadel.Action.V2.PayloadType.Unspecified;

    public static Zitadel.Action.V2.Target FromModel(Targets.Target target)
    {
        var message = new Zitadel.Action.V2.Target
        {
            Id = target.Id,
            Name = target.Name,
            Endpoint = target.Endpoint,
            Timeout = Duration.FromTimeSpan(target.Timeout),
            CreationDate = Timestamp.FromDateTimeOffset(target.CreationDate),
            ChangeDate = Timestamp.FromDateTimeOffset(target.ChangeDate),
            PayloadType = FromModel(target.PayloadType),
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

    /// <summary>
    /// The target search of a <c>ListTargets</c> request. Every value is handed to the management service as given, which checks
    /// them with the HTTP API's paths: an unspecified sorting column is the default (creation date), a filter of no kind is refused
    /// there, and a number that names no enum value stays a number no member has, so it is refused too.
    /// </summary>
    public static TargetQuery ToQuery(ListTargetsRequest request) => new()
    {
        Filters = [.. request.Filters.Select(ToFilter)],
        SortingColumn = request.SortingColumn switch
        {
            TargetFieldName.Unspecified or TargetFieldName.CreatedDate => TargetQuery.SortField.CreationDate,
            TargetFieldName.Id => TargetQuery.SortField.Id,
            TargetFieldName.ChangedDate => TargetQuery.SortField.ChangeDate,
            TargetFieldName.Name => TargetQuery.SortField.Name,
            TargetFieldName.TargetType => TargetQuery.SortField.TargetType,
            TargetFieldName.Url => TargetQuery.SortField.Url,
            TargetFieldName.Timeout => TargetQuery.SortField.Timeout,
            TargetFieldName.InterruptOnError => TargetQuery.SortField.InterruptOnError,
            var unknown => (TargetQuery.SortField)(int)unknown,
        },
        Ascending = request.Pagination?.Asc ?? false,
        Offset = Offset(request.Pagination),
        Limit = Limit(request.Pagination),
    };

    /// <summary>
    /// The execution search of a <c>ListExecutions</c> request, with the violations of its conditions (read with the HTTP API's rules,
    /// under <c>filters[i].inConditionsFilter.conditions[j]</c>); every other value is checked by the management service.
    /// </summary>
    public static ExecutionQuery ToQuery(ListExecutionsRequest request, ViolationList violations) => new()
    {
        Filters = [.. request.Filters.Select((filter, i) => ToFilter(filter, $"filters[{i}]", violations))],
        SortingColumn = request.SortingColumn switch
        {
            ExecutionFieldName.Unspecified or ExecutionFieldName.CreatedDate => ExecutionQuery.SortField.CreationDate,
            ExecutionFieldName.Id => ExecutionQuery.SortField.Id,
            ExecutionFieldName.ChangedDate => ExecutionQuery.SortField.ChangeDate,
            var unknown => (ExecutionQuery.SortField)(int)unknown,
        },
        Ascending = request.Pagination?.Asc ?? false,
        Offset = Offset(request.Pagination),
        Limit = Limit(request.Pagination),
    };

    public static PaginationResponse Pagination(long totalResult, int appliedLimit) =>
        new() { TotalResult = (ulong)totalResult, AppliedLimit = (ulong)appliedLimit };

    public static Zitadel.Action.V2.Execution FromModel(ExecutionPage.Item item)
    {
        var message = new Zitadel.Action.V2.Execution
        {
            Condition = FromModel(item.Execution.Condition),
            CreationDate = Timestamp.FromDateTimeOffset(item.Execution.CreationDate),
            ChangeDate = Timestamp.FromDateTimeOffset(item.Execution.Details.ChangeDate),
        };
        message.Targets.AddRange(item.TargetIds);
        return message;
    }

    public static PublicKey FromModel(TargetPublicKey key) => new()
    {
        KeyId = key.KeyId,
        Active = key.Active,
        PublicKey_ = ByteString.CopyFromUtf8(key.PublicKey),
        Fingerprint = key.Fingerprint,
        ExpirationDate = key.ExpirationDate is { } expiration ? Timestamp.FromDateTimeOffset(expiration) : null,
        CreationDate = Timestamp.FromDateTimeOffset(key.CreationDate),
        ChangeDate = Timestamp.FromDateTimeOffset(key.ChangeDate),
    };

    private static TargetQuery.Filter ToFilter(TargetSearchFilter filter) => filter.FilterCase switch
    {
        TargetSearchFilter.FilterOneofCase.TargetNameFilter =>
            TargetQuery.Filter.ByName(filter.TargetNameFilter.TargetName, (ActionExec.Management.TextFilterMethod)(int)filter.TargetNameFilter.Method),
        TargetSearchFilter.FilterOneofCase.InTargetIdsFilter => TargetQuery.Filter.ByIds(filter.InTargetIdsFilter.TargetIds),
        _ => null!,
    };

    private static ExecutionQuery.Filter ToFilter(ExecutionSearchFilter filter, string path, ViolationList violations)
    {
        switch (filter.FilterCase)
        {
            case ExecutionSearchFilter.FilterOneofCase.InConditionsFilter:
                var conditions = ImmutableArray.CreateBuilder<Conditions.Condition>();
                var given = filter.InConditionsFilter.Conditions;
                for (var j = 0; j < given.Count; j++)
                {
                    if (ToWire(given[j])!.ToModel($"{path}.inConditionsFilter.conditions[{j}]", violations) is { } condition)
                    {
                        conditions.Add(condition);
                    }
                }

                return ExecutionQuery.Filter.InConditions(conditions);
            case ExecutionSearchFilter.FilterOneofCase.ExecutionTypeFilter:
                return ExecutionQuery.Filter.OfType(filter.ExecutionTypeFilter.ExecutionType switch
                {
                    ExecutionType.Request => ConditionKind.Request,
                    ExecutionType.Response => ConditionKind.Response,
                    ExecutionType.Event => ConditionKind.Event,
                    ExecutionType.Function => ConditionKind.Function,

                    // Unspecified names no kind: a value no kind has, which the service refuses on this filter's path.
                    var unknown => (ConditionKind)(-1 - (int)unknown),
                });
            case ExecutionSearchFilter.FilterOneofCase.TargetFilter:
                return ExecutionQuery.Filter.ByTarget(filter.TargetFilter.TargetId);
            default:
                return null!;
        }
    }

    /// <summary>The offset; one past the range of <see cref="long"/> is past every result anyway.</summary>
    private static long Offset(PaginationRequest? pagination) => (long)Math.Min(pagination?.Offset ?? 0, long.MaxValue);

    private static int Limit(PaginationRequest? pagination) => (int)Math.Min(pagination?.Limit ?? 0, int.MaxValue);
}
