using System.Text.Json.Serialization;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The source-generated serializer metadata of the wire format: lowerCamelCase names, absent values omitted,
/// and unknown properties rejected. Use it with <see cref="ActionExecJson.Read{T}"/> and
/// <see cref="ActionExecJson.Write{T}"/>, which turn every failure into an <see cref="Errors.ActionExecException"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ConditionJson))]
[JsonSerializable(typeof(ExecutionEntryJson))]
[JsonSerializable(typeof(SetExecutionRequestJson))]
[JsonSerializable(typeof(SetDateResponseJson))]
[JsonSerializable(typeof(DetailsResponseJson))]
[JsonSerializable(typeof(TargetRequestJson))]
[JsonSerializable(typeof(CreateTargetResponseJson))]
[JsonSerializable(typeof(TargetJson))]
[JsonSerializable(typeof(TargetResponseJson))]
[JsonSerializable(typeof(SigningKeyResponseJson))]
[JsonSerializable(typeof(DeleteTargetResponseJson))]
[JsonSerializable(typeof(TargetListJson))]
[JsonSerializable(typeof(ExecutionListJson))]
[JsonSerializable(typeof(ExplanationJson))]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(ConsoleRequestJson))]
[JsonSerializable(typeof(ConsoleResponseJson))]
[JsonSerializable(typeof(DeliveryListJson))]
[JsonSerializable(typeof(DeliveryResponseJson))]
[JsonSerializable(typeof(ReplayDeadLettersRequestJson))]
[JsonSerializable(typeof(ReplayDeadLettersResponseJson))]
[JsonSerializable(typeof(V2CreateTargetRequestJson))]
[JsonSerializable(typeof(V2UpdateTargetRequestJson))]
[JsonSerializable(typeof(V2UpdateTargetResponseJson))]
[JsonSerializable(typeof(V2DeleteTargetResponseJson))]
[JsonSerializable(typeof(V2SetExecutionRequestJson))]
[JsonSerializable(typeof(V2ListTargetsRequestJson))]
[JsonSerializable(typeof(V2ListTargetsResponseJson))]
[JsonSerializable(typeof(V2ListExecutionsRequestJson))]
[JsonSerializable(typeof(V2ListExecutionsResponseJson))]
[JsonSerializable(typeof(AddPublicKeyRequestJson))]
[JsonSerializable(typeof(AddPublicKeyResponseJson))]
[JsonSerializable(typeof(ChangeDateResponseJson))]
[JsonSerializable(typeof(ListPublicKeysRequestJson))]
[JsonSerializable(typeof(ListPublicKeysResponseJson))]
internal sealed partial class ActionExecJsonContext : JsonSerializerContext;
