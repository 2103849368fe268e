using ActionExec.AspNetCore.Wire;
using ActionExec.AspNetCore;
using ActionExec.Catalog;
using ActionExec.Management;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Zitadel.Action.V2Beta;
using SetExecutionRequest = Zitadel.Action.V2Beta.SetExecutionRequest;

namespace ActionExec.Grpc.Management;

/// <summary>
/// <c>zitadel.action.v2beta.ActionService</c> over the one management implementation: targets (create, update with key
/// replacement, delete, get, list), <c>SetExecution</c> with targets and includes, the execution list, and the discovery of
/// functions, methods and services from the catalog. Same permissions, rules, codes and violations as the HTTP API.
/// </summary>
internal sealed class ActionServiceV2Beta(
    IActionManagement management,
    ManagementJsonCalls json,
    ActionCatalog catalog,
    IActionTenantResolver tenants,
    ILogger<GrpcManagementCalls> logger) : ActionService.ActionServiceBase
{
    private readonly GrpcManagementCalls _calls = new(management, json, catalog, tenants, logger);

    public override Task<CreateTargetResponse> CreateTarget(CreateTargetRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var created = await _calls.Json.CreateTargetAsync(caller, () => V2BetaWire.ToWire(request), cancellationToken).ConfigureAwait(false);
            return new CreateTargetResponse
            {
                Id = created.Target.Id,
                CreationDate = Timestamp.FromDateTimeOffset(created.Target.CreationDate),
                SigningKey = created.SigningKey,
            };
        });

    public override Task<UpdateTargetResponse> UpdateTarget(UpdateTargetRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var id = TargetId(request.Id);
            var target = await _calls.Json.UpdateTargetAsync(caller, id, () => UpdateOf(request), cancellationToken).ConfigureAwait(false);
            var response = new UpdateTargetResponse { ChangeDate = Timestamp.FromDateTimeOffset(target.ChangeDate) };
            if (request.ExpirationSigningKey is not null)
            {
                var rotated = await _calls.Management.RotateSigningKeyAsync(caller, id, cancellationToken).ConfigureAwait(false);
                response.ChangeDate = Timestamp.FromDateTimeOffset(rotated.Target.ChangeDate);
                response.SigningKey = rotated.SigningKey;
            }

            return response;
        });

    public override Task<DeleteTargetResponse> DeleteTarget(DeleteTargetRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var details = await _calls.Management.DeleteTargetAsync(caller, TargetId(request.Id), cancellationToken).ConfigureAwait(false);
            return new DeleteTargetResponse { DeletionDate = Timestamp.FromDateTimeOffset(details.ChangeDate) };
        });

    public override Task<GetTargetResponse> GetTarget(GetTargetRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var target = await _calls.Management.GetTargetAsync(caller, TargetId(request.Id), cancellationToken).ConfigureAwait(false);
            return new GetTargetResponse { Target = V2BetaWire.FromModel(target) };
        });

    public override Task<ListTargetsResponse> ListTargets(ListTargetsRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var targets = await _calls.Management.ListTargetsAsync(caller, cancellationToken).ConfigureAwait(false);
            var response = new ListTargetsResponse { Details = V2BetaWire.Details(targets.Length) };
            response.Result.AddRange(targets.Select(V2BetaWire.FromModel));
            return response;
        });

    public override Task<SetExecutionResponse> SetExecution(SetExecutionRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var result = await _calls.Json.SetExecutionAsync(caller, () => V2BetaWire.ToWire(request), cancellationToken).ConfigureAwait(false);
            return new SetExecutionResponse { SetDate = Timestamp.FromDateTimeOffset(result.Details.ChangeDate) };
        });

    public override Task<ListExecutionsResponse> ListExecutions(ListExecutionsRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var executions = await _calls.Management.ListExecutionsAsync(caller, cancellationToken).ConfigureAwait(false);
            var response = new ListExecutionsResponse { Details = V2BetaWire.Details(executions.Length) };
            response.Result.AddRange(executions.Select(V2BetaWire.FromModel));
            return response;
        });

    public override Task<ListExecutionFunctionsResponse> ListExecutionFunctions(ListExecutionFunctionsRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Functions, static (ListExecutionFunctionsResponse response) => response.Functions);

    public override Task<ListExecutionMethodsResponse> ListExecutionMethods(ListExecutionMethodsRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Methods, static (ListExecutionMethodsResponse response) => response.Methods);

    public override Task<ListExecutionServicesResponse> ListExecutionServices(ListExecutionServicesRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Services, static (ListExecutionServicesResponse response) => response.Services);

    /// <summary>The change of an update; <c>expiration_signing_key</c> is checked with it, so that a bad value changes nothing.</summary>
    private static TargetRequestJson UpdateOf(UpdateTargetRequest request)
    {
        V2BetaWire.CheckExpirationSigningKey(request.ExpirationSigningKey);
        return V2BetaWire.ToWire(request);
    }

    private static string TargetId(string id) => V2BetaWire.TargetId(id, "id");
}
