using ActionExec.AspNetCore;
using ActionExec.AspNetCore.Wire;
using ActionExec.Catalog;
using ActionExec.Management;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Zitadel.Action.V2;
using SetExecutionRequest = Zitadel.Action.V2.SetExecutionRequest;

namespace ActionExec.Grpc.Management;

/// <summary>
/// <c>zitadel.action.v2.ActionService</c>, ZITADEL's generally available actions API, over the one management implementation:
/// targets (create, update with key replacement, idempotent delete, get, search), their public keys (add, activate, deactivate,
/// remove, list), <c>SetExecution</c> with target ids, the execution search, and the discovery of functions, methods and services
/// from the catalog. Each request is read by the same code as the HTTP API's <c>/v2/actions</c> routes (through
/// <see cref="ManagementJsonCalls"/>), so permissions, rules, codes and violations are the same.
/// </summary>
internal sealed class ActionServiceV2(
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
            var created = await _calls.Json.CreateTargetV2Async(caller, () => V2Messages.ToWire(request), cancellationToken).ConfigureAwait(false);
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
            var id = V2BetaWire.TargetId(request.Id, "id");
            var (changeDate, signingKey) = await _calls.Json.UpdateTargetV2Async(caller, id, () => V2Messages.ToWire(request), cancellationToken).ConfigureAwait(false);
            var response = new UpdateTargetResponse { ChangeDate = Timestamp.FromDateTimeOffset(changeDate) };
            if (signingKey is not null)
            {
                response.SigningKey = signingKey;
            }

            return response;
        });

    /// <summary>Deletes a target; one that is already gone is success without a deletion date, as ZITADEL answers.</summary>
    public override Task<DeleteTargetResponse> DeleteTarget(DeleteTargetRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var deleted = await _calls.Json.DeleteTargetIfExistsAsync(caller, V2BetaWire.TargetId(request.Id, "id"), cancellationToken).ConfigureAwait(false);
            return new DeleteTargetResponse { DeletionDate = deleted is { } date ? Timestamp.FromDateTimeOffset(date) : null };
        });

    public override Task<GetTargetResponse> GetTarget(GetTargetRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var target = await _calls.Management.GetTargetAsync(caller, V2BetaWire.TargetId(request.Id, "id"), cancellationToken).ConfigureAwait(false);
            return new GetTargetResponse { Target = V2Messages.FromModel(target) };
        });

    public override Task<ListTargetsResponse> ListTargets(ListTargetsRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var page = await _calls.Json.SearchTargetsAsync(caller, () => V2Messages.ToWire(request), cancellationToken).ConfigureAwait(false);
            var response = new ListTargetsResponse { Pagination = V2Messages.Pagination(page.TotalResult, page.AppliedLimit) };
            response.Targets.AddRange(page.Targets.Select(V2Messages.FromModel));
            return response;
        });

    public override Task<ListExecutionsResponse> ListExecutions(ListExecutionsRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var page = await _calls.Json.SearchExecutionsAsync(caller, () => V2Messages.ToWire(request), cancellationToken).ConfigureAwait(false);
            var response = new ListExecutionsResponse { Pagination = V2Messages.Pagination(page.TotalResult, page.AppliedLimit) };
            response.Executions.AddRange(page.Executions.Select(V2Messages.FromModel));
            return response;
        });

    /// <summary>Adds a public key: the PEM arrives as bytes, read with the JSON route's rules (UTF-8 PEM text, its size).</summary>
    public override Task<AddPublicKeyResponse> AddPublicKey(AddPublicKeyRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var key = await _calls.Json.AddPublicKeyAsync(
                caller,
                request.TargetId,
                () => new AddPublicKeyRequestJson { PublicKey = request.PublicKey.ToByteArray(), ExpirationDate = request.ExpirationDate?.ToDateTimeOffset() },
                cancellationToken).ConfigureAwait(false);
            return new AddPublicKeyResponse { KeyId = key.KeyId, CreationDate = Timestamp.FromDateTimeOffset(key.CreationDate) };
        });

    public override Task<ActivatePublicKeyResponse> ActivatePublicKey(ActivatePublicKeyRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var key = await _calls.Management.ActivatePublicKeyAsync(caller, request.TargetId, request.KeyId, cancellationToken).ConfigureAwait(false);
            return new ActivatePublicKeyResponse { ChangeDate = Timestamp.FromDateTimeOffset(key.ChangeDate) };
        });

    public override Task<DeactivatePublicKeyResponse> DeactivatePublicKey(DeactivatePublicKeyRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var key = await _calls.Management.DeactivatePublicKeyAsync(caller, request.TargetId, request.KeyId, cancellationToken).ConfigureAwait(false);
            return new DeactivatePublicKeyResponse { ChangeDate = Timestamp.FromDateTimeOffset(key.ChangeDate) };
        });

    public override Task<RemovePublicKeyResponse> RemovePublicKey(RemovePublicKeyRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var removed = await _calls.Management.RemovePublicKeyAsync(caller, request.TargetId, request.KeyId, cancellationToken).ConfigureAwait(false);
            return new RemovePublicKeyResponse { DeletionDate = Timestamp.FromDateTimeOffset(removed) };
        });

    public override Task<ListPublicKeysResponse> ListPublicKeys(ListPublicKeysRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var keys = await _calls.Management.ListPublicKeysAsync(caller, request.TargetId, cancellationToken).ConfigureAwait(false);
            var response = new ListPublicKeysResponse();
            response.PublicKeys.AddRange(keys.Select(V2Messages.FromModel));
            return response;
        });

    public override Task<SetExecutionResponse> SetExecution(SetExecutionRequest request, ServerCallContext context) =>
        _calls.RunAsync(context, async (caller, cancellationToken) =>
        {
            var result = await _calls.Json.SetExecutionV2Async(caller, () => V2Messages.ToWire(request), cancellationToken).ConfigureAwait(false);
            return new SetExecutionResponse { SetDate = Timestamp.FromDateTimeOffset(result.Details.ChangeDate) };
        });

    public override Task<ListExecutionFunctionsResponse> ListExecutionFunctions(ListExecutionFunctionsRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Functions, static (ListExecutionFunctionsResponse response) => response.Functions);

    public override Task<ListExecutionMethodsResponse> ListExecutionMethods(ListExecutionMethodsRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Methods, static (ListExecutionMethodsResponse response) => response.Methods);

    public override Task<ListExecutionServicesResponse> ListExecutionServices(ListExecutionServicesRequest request, ServerCallContext context) =>
        _calls.ListNamesAsync(context, CatalogNames.Services, static (ListExecutionServicesResponse response) => response.Services);
}
