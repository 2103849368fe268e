using System.Globalization;
using ActionExec.AspNetCore.Wire;
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
/// The messages of <c>zitadel.action.v2</c> mapped onto the wire records of the JSON API's <c>/v2/actions</c> routes, so that one
/// reading decides every rule and names every field the same way, and the model mapped back onto the messages. Enum values go
/// as their numbers, which the reading takes exactly as a JSON number: a number no name has is refused there, on its field.
/// The condition and target messages have the field numbers of the v2beta ones, so they are carried across as bytes and mapped by
/// <see cref="V2BetaWire"/>: one mapping of conditions and targets for every version.
/// </summary>
internal static class V2Messages
{
    private static readonly EnumDescriptor PayloadTypes = TargetReflection.Descriptor.FindTypeByName<EnumDescriptor>("PayloadType");

    public static ConditionJson? ToWire(Zitadel.Action.V2.Condition? condition) =>
        condition is null ? null : V2BetaWire.ToWire(V2Beta.Condition.Parser.ParseFrom(condition.ToByteString()));

    public static Zitadel.Action.V2.Condition FromModel(Conditions.Condition condition) =>
        Zitadel.Action.V2.Condition.Parser.ParseFrom(V2BetaWire.FromModel(condition).ToByteString());

    public static V2SetExecutionRequestJson ToWire(Zitadel.Action.V2.SetExecutionRequest request) => new()
    {
        Condition = ToWire(request.Condition),
        Targets = [.. request.Targets],
    };

    public static V2CreateTargetRequestJson ToWire(CreateTargetRequest request) => new()
    {
        Name = request.Name,
        Endpoint = request.Endpoint,
        Timeout = V2BetaWire.ToTimeSpan(request.Timeout, "timeout"),
        RestWebhook = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestWebhook ? new RestTargetJson { InterruptOnError = request.RestWebhook.InterruptOnError } : null,
        RestCall = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestCall ? new RestTargetJson { InterruptOnError = request.RestCall.InterruptOnError } : null,
        RestAsync = request.TargetTypeCase == CreateTargetRequest.TargetTypeOneofCase.RestAsync ? new RestTargetJson() : null,
        PayloadType = Number((int)request.PayloadType),
    };

    public static V2UpdateTargetRequestJson ToWire(UpdateTargetRequest request) => new()
    {
        Name = request.HasName ? request.Name : null,
        Endpoint = request.HasEndpoint ? request.Endpoint : null,
        Timeout = V2BetaWire.ToTimeSpan(request.Timeout, "timeout"),
        RestWebhook = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestWebhook ? new RestTargetJson { InterruptOnError = request.RestWebhook.InterruptOnError } : null,
        RestCall = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestCall ? new RestTargetJson { InterruptOnError = request.RestCall.InterruptOnError } : null,
        RestAsync = request.TargetTypeCase == UpdateTargetRequest.TargetTypeOneofCase.RestAsync ? new RestTargetJson() : null,
        ExpirationSigningKey = V2BetaWire.ToTimeSpan(request.ExpirationSigningKey, "expiration_signing_key"),
        PayloadType = Number((int)request.PayloadType),
    };

    public static V2ListTargetsRequestJson ToWire(ListTargetsRequest request) => new()
    {
        Pagination = ToWire(request.Pagination),
        SortingColumn = request.HasSortingColumn ? Number((int)request.SortingColumn) : null,
        Filters = [.. request.Filters.Select(static filter => new V2TargetSearchFilterJson
        {
            TargetNameFilter = filter.FilterCase == TargetSearchFilter.FilterOneofCase.TargetNameFilter
                ? new V2TargetNameFilterJson { TargetName = filter.TargetNameFilter.TargetName, Method = Number((int)filter.TargetNameFilter.Method) }
                : null,
            InTargetIdsFilter = filter.FilterCase == TargetSearchFilter.FilterOneofCase.InTargetIdsFilter
                ? new V2InTargetIdsFilterJson { TargetIds = [.. filter.InTargetIdsFilter.TargetIds] }
                : null,
        })],
    };

    public static V2ListExecutionsRequestJson ToWire(ListExecutionsRequest request) => new()
    {
        Pagination = ToWire(request.Pagination),
        SortingColumn = request.HasSortingColumn ? Number((int)request.SortingColumn) : null,
        Filters = [.. request.Filters.Select(static filter => new V2ExecutionSearchFilterJson
        {
            InConditionsFilter = filter.FilterCase == ExecutionSearchFilter.FilterOneofCase.InConditionsFilter
                ? new V2InConditionsFilterJson { Conditions = [.. filter.InConditionsFilter.Conditions.Select(ToWire)] }
                : null,
            ExecutionTypeFilter = filter.FilterCase == ExecutionSearchFilter.FilterOneofCase.ExecutionTypeFilter
                ? new V2ExecutionTypeFilterJson { ExecutionType = Number((int)filter.ExecutionTypeFilter.ExecutionType) }
                : null,
            TargetFilter = filter.FilterCase == ExecutionSearchFilter.FilterOneofCase.TargetFilter
                ? new V2TargetFilterJson { TargetId = filter.TargetFilter.TargetId }
                : null,
        })],
    };

    /// <summary>A payload type of the model as the enum value of the same name (<c>PAYLOAD_TYPE_JSON</c>).</summary>
    public static Zitadel.Action.V2.PayloadType FromModel(Targets.PayloadType payloadType) =>
        PayloadTypes.FindValueByName(AspNetCore.Wire.TargetWire.WritePayloadType(payloadType)) is { } value
            ? (Zitadel.Action.V2.PayloadType)value.Number
            : Zitadel.Action.V2.PayloadType.Unspecified;

    /// <summary>A target; its fields but the payload type have the field numbers of v2beta's, so they are mapped once, by <see cref="V2BetaWire"/>.</summary>
    public static Zitadel.Action.V2.Target FromModel(Targets.Target target)
    {
        var message = Zitadel.Action.V2.Target.Parser.ParseFrom(V2BetaWire.FromModel(target).ToByteString());
        message.PayloadType = FromModel(target.PayloadType);
        return message;
    }

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

    private static V2PaginationRequestJson? ToWire(PaginationRequest? pagination) =>
        pagination is null ? null : new() { Offset = pagination.Offset, Limit = pagination.Limit, Asc = pagination.Asc };

    /// <summary>An enum value as the JSON reading has a number (its digits); 0, proto's unset value, as absent.</summary>
    private static string? Number(int value) => value == 0 ? null : value.ToString(CultureInfo.InvariantCulture);
}
