using ActionExec.AspNetCore.Wire;
using ActionExec.Targets;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Zitadel.Action.V2;
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
}
