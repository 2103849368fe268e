using ActionExec.AspNetCore.Wire;
using ActionExec.AspNetCore;
using ActionExec.Catalog;
using ActionExec.Errors;
using ActionExec.Management;
using Google.Protobuf.WellKnownTypes;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Zitadel.Object.V3Alpha;
using Zitadel.Resources.Action.V3Alpha;
using SetExecutionRequest = Zitadel.Resources.Action.V3Alpha.SetExecutionRequest;
using V2Beta = Zitadel.Action.V2Beta;

namespace ActionExec.Grpc.Management;

/// <summary>
/// <c>zitadel.resources.action.v3alpha.ZITADELActions</c> over the one management implementation: <c>SetExecution</c> with targets
/// and includes, and the discovery of functions, methods and services. Same permissions, rules, codes and violations as the HTTP
/// API's <c>PUT /v3alpha/executions</c>.
/// </summary>
internal sealed class ZitadelActionsV3Alpha(
    IActionManagement management,
    ManagementJsonCalls json,
    ActionCatalog catalog,
    IActionTenantResolver tenants,
    ILogger<GrpcManagementCalls> logger) : ZITADELActions.ZITADELActionsBase
{
    private readonly GrpcManagementCalls _calls = new(management, json, catalog, tenants, logger);

    public override Task<SetExecutionResponse> SetExecution(SetExecutionRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var result = await _calls.Json.SetExecutionAsync(caller, () => ToWire(caller, request), cancellationToken).ConfigureAwait(false);
            return new SetExecutionResponse
            {
                Details = new Zitadel.Settings.Object.V3Alpha.Details
                {
                    Sequence = result.Details.Sequence,
                    ChangeDate = Timestamp.FromDateTimeOffset(result.Details.ChangeDate),
                    Owner = new Owner { Type = OwnerType.Instance, Id = result.Details.ResourceOwner },
                },
            };
        });

    public override Task<ListExecutionFunctionsResponse> ListExecutionFunctions(ListExecutionFunctionsRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Functions, static (ListExecutionFunctionsResponse response) => response.Functions);

    public override Task<ListExecutionMethodsResponse> ListExecutionMethods(ListExecutionMethodsRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Methods, static (ListExecutionMethodsResponse response) => response.Methods);

    public override Task<ListExecutionServicesResponse> ListExecutionServices(ListExecutionServicesRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Services, static (ListExecutionServicesResponse response) => response.Services);

    /// <summary>
    /// The request in the JSON API's wire form. The v3alpha condition and entry messages have the field numbers of the v2beta ones,
    /// so they are read as those, and mapped once. The entries are reported as <c>targets[i]</c>, as the HTTP API reports them.
    /// </summary>
    private static SetExecutionRequestJson ToWire(ManagementCaller caller, SetExecutionRequest request)
    {
        if (request.Instance is { } instance
            && !(instance.PropertyCase == Instance.PropertyOneofCase.Id && string.Equals(instance.Id, caller.TenantId, StringComparison.Ordinal)))
        {
            var given = instance.PropertyCase == Instance.PropertyOneofCase.Domain ? $"the domain '{instance.Domain}'" : $"'{instance.Id}'";
            throw ActionExecException.InvalidArgument(
                "instance",
                $"The instance {given} is not the tenant of this call ('{caller.TenantId}'); leave instance out, or give the tenant's id.");
        }

        var condition = request.IdCase switch
        {
            SetExecutionRequest.IdOneofCase.Condition => V2BetaWire.ToWire(V2Beta.Condition.Parser.ParseFrom(request.Condition.ToByteString())),
            SetExecutionRequest.IdOneofCase.ConditionString => ConditionJson.FromModel(ParseConditionId(request.ConditionString)),
            _ => null,
        };
        var entries = request.Execution?.Targets ?? [];
        return new SetExecutionRequestJson
        {
            Condition = condition,
            Targets = [.. entries.Select(entry => V2BetaWire.ToWire(V2Beta.ExecutionTargetType.Parser.ParseFrom(entry.ToByteString())))],
        };
    }

    /// <summary>A condition id (<c>request/pkg.v1.Service/Method</c>), with its violations on <c>condition_string</c>.</summary>
    private static Conditions.Condition ParseConditionId(string id)
    {
        var violations = new ViolationList();
        var condition = Conditions.Condition.Parse(id, "condition_string", violations);
        violations.ThrowIfAny();
        return condition!;
    }
}
