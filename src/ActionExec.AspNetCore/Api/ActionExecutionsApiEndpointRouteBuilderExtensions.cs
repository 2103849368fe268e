using ActionExec.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the management API of ActionExec: ZITADEL's REST paths and JSON shapes for executions, targets, signing keys, explain and the action test console.</summary>
public static class ActionExecutionsApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the management API with ZITADEL's paths and JSON shapes:
    /// <list type="bullet">
    /// <item><c>PUT /v2beta/actions/executions</c> → <c>{"setDate"}</c>; <c>PUT /v3alpha/executions</c> → <c>{"details": {"sequence", "changeDate", "resourceOwner"}}</c>.</item>
    /// <item><c>GET /v2beta/actions/executions</c> → the executions; <c>GET /v2beta/actions/executions/match?kind=request&amp;value=/pkg.v1.Service/Method</c> → which execution matches and why.</item>
    /// <item><c>POST /v2beta/actions/targets</c> → <c>{"id", "creationDate", "signingKey"}</c>; <c>GET /v2beta/actions/targets</c> → the targets.</item>
    /// <item><c>GET</c> and <c>PATCH /v2beta/actions/targets/{id}</c> → <c>{"target": {…}}</c>; <c>DELETE</c> → <c>{"deletionDate"}</c>.</item>
    /// <item><c>POST /v2beta/actions/targets/{id}/signing-key</c> → <c>{"signingKey", "changeDate"}</c>: replaces the key (not a ZITADEL path).</item>
    /// <item><c>POST /backend/action/execute/{action_id}</c> → the action test console's answer.</item>
    /// <item><c>GET /v2/actions/deliveries?status=dead_lettered&amp;targetId=…&amp;from=…&amp;to=…&amp;offset=0&amp;limit=100</c> → the delivery
    /// history, newest first (<c>action.delivery.read</c>); <c>GET /v2/actions/deliveries/{id}</c> → <c>{"delivery": {…}}</c> with its
    /// attempts.</item>
    /// <item>ZITADEL's GA API (<c>zitadel.action.v2.ActionService</c>): <c>POST /v2/actions/targets</c>, <c>POST /v2/actions/targets/search</c>,
    /// <c>GET</c>, <c>POST</c> (update; <c>"expirationSigningKey": "0s"</c> replaces the key) and <c>DELETE /v2/actions/targets/{id}</c>
    /// (success when already gone), <c>PUT /v2/actions/executions</c> with target ids, <c>POST /v2/actions/executions/search</c>, and
    /// the catalog's lists <c>GET /v2/actions/executions/functions</c>, <c>…/methods</c>, <c>…/services</c>, <c>…/events</c> and
    /// <c>…/groups</c> (the last two not in ZITADEL).</item>
    /// <item><c>POST /v2/actions/deliveries/{id}/replay</c> → the delivery, due again with the same id; <c>POST /v2/actions/deliveries/replay</c>
    /// with <c>{"since", "targetId"}</c> → <c>{"replayed": n}</c>, every dead letter since then (<c>action.delivery.write</c>).</item>
    /// <item><c>POST /v2/actions/targets/{target_id}/publickeys</c> with <c>{"publicKey": "&lt;base64 of the PEM&gt;", "expirationDate"}</c> →
    /// <c>{"keyId", "creationDate"}</c>; <c>POST …/publickeys/{key_id}/activate</c> and <c>…/deactivate</c> → <c>{"changeDate"}</c>;
    /// <c>DELETE …/publickeys/{key_id}</c> → <c>{"deletionDate"}</c>; <c>POST …/publickeys/search</c> → <c>{"publicKeys": [ … ]}</c>
    /// (<c>action.target.write</c>, and <c>action.target.read</c> to list).</item>
    /// </list>
    /// Every request must be authenticated by the host (otherwise 401, code 16); permissions are checked by the registered
    /// <c>IActionPermissionChecker</c> (otherwise 403, code 7). Bodies must be <c>application/json</c> and at most
    /// <see cref="ActionExecutionsApiOptions.MaxRequestBodyBytes"/> long. Every failure is answered with the error body
    /// <c>{"code", "message", "details"}</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, such as the <c>WebApplication</c>.</param>
    /// <returns>The group of the API's endpoints, to add conventions to, such as <c>RequireAuthorization()</c> or <c>RequireRateLimiting(…)</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The API's services are not registered: call <c>AddActionExecutions().AddActionExecutionsApi()</c>.</exception>
    public static RouteGroupBuilder MapActionExecutionsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.ServiceProvider.GetService<ActionExecutionsApiHandlers>()
            ?? throw new InvalidOperationException(
                "The actions API is not registered; call services.AddActionExecutions().AddActionExecutionsApi() before mapping it with MapActionExecutionsApi().");

        var group = endpoints.MapGroup("");
        Map(group, HttpMethods.Put, "/v2beta/actions/executions", api.SetExecutionV2Async, "SetExecution (v2beta)");
        Map(group, HttpMethods.Get, "/v2beta/actions/executions", api.ListExecutionsAsync, "ListExecutions");
        Map(group, HttpMethods.Get, "/v2beta/actions/executions/match", api.ExplainAsync, "ExplainExecution");
        Map(group, HttpMethods.Put, "/v3alpha/executions", api.SetExecutionV3Async, "SetExecution (v3alpha)");
        Map(group, HttpMethods.Post, "/v2beta/actions/targets", api.CreateTargetAsync, "CreateTarget");
        Map(group, HttpMethods.Get, "/v2beta/actions/targets", api.ListTargetsAsync, "ListTargets");
        Map(group, HttpMethods.Get, "/v2beta/actions/targets/{id}", api.GetTargetAsync, "GetTarget");
        Map(group, HttpMethods.Patch, "/v2beta/actions/targets/{id}", api.UpdateTargetAsync, "UpdateTarget");
        Map(group, HttpMethods.Delete, "/v2beta/actions/targets/{id}", api.DeleteTargetAsync, "DeleteTarget");
        Map(group, HttpMethods.Post, "/v2beta/actions/targets/{id}/signing-key", api.RotateSigningKeyAsync, "RotateTargetSigningKey");
        Map(group, HttpMethods.Post, "/backend/action/execute/{action_id}", api.ExecuteActionAsync, "ExecuteAction (test console)");
        Map(group, HttpMethods.Get, "/v2/actions/deliveries", api.ListDeliveriesAsync, "ListDeliveries");
        Map(group, HttpMethods.Post, "/v2/actions/deliveries/replay", api.ReplayDeadLettersAsync, "ReplayDeadLetters");
        Map(group, HttpMethods.Get, "/v2/actions/deliveries/{id}", api.GetDeliveryAsync, "GetDelivery");
        Map(group, HttpMethods.Post, "/v2/actions/deliveries/{id}/replay", api.ReplayDeliveryAsync, "ReplayDelivery");
        Map(group, HttpMethods.Post, "/v2/actions/targets", api.CreateTargetV2Async, "CreateTarget (v2)");
        Map(group, HttpMethods.Post, "/v2/actions/targets/search", api.SearchTargetsV2Async, "ListTargets (v2)");
        Map(group, HttpMethods.Post, "/v2/actions/targets/{id}", api.UpdateTargetV2Async, "UpdateTarget (v2)");
        Map(group, HttpMethods.Delete, "/v2/actions/targets/{id}", api.DeleteTargetV2Async, "DeleteTarget (v2)");
        Map(group, HttpMethods.Get, "/v2/actions/targets/{id}", api.GetTargetV2Async, "GetTarget (v2)");
        Map(group, HttpMethods.Put, "/v2/actions/executions", api.SetExecutionV2GaAsync, "SetExecution (v2)");
        Map(group, HttpMethods.Post, "/v2/actions/executions/search", api.SearchExecutionsV2Async, "ListExecutions (v2)");
        Map(group, HttpMethods.Get, "/v2/actions/executions/functions", api.ListExecutionFunctionsAsync, "ListExecutionFunctions (v2)");
        Map(group, HttpMethods.Get, "/v2/actions/executions/methods", api.ListExecutionMethodsAsync, "ListExecutionMethods (v2)");
        Map(group, HttpMethods.Get, "/v2/actions/executions/services", api.ListExecutionServicesAsync, "ListExecutionServices (v2)");
        Map(group, HttpMethods.Get, "/v2/actions/executions/events", api.ListExecutionEventsAsync, "ListExecutionEvents (v2, not in ZITADEL)");
        Map(group, HttpMethods.Get, "/v2/actions/executions/groups", api.ListExecutionGroupsAsync, "ListExecutionGroups (v2, not in ZITADEL)");
        Map(group, HttpMethods.Post, "/v2/actions/targets/{target_id}/publickeys", api.AddPublicKeyAsync, "AddPublicKey");
        Map(group, HttpMethods.Post, "/v2/actions/targets/{target_id}/publickeys/search", api.ListPublicKeysAsync, "ListPublicKeys");
        Map(group, HttpMethods.Post, "/v2/actions/targets/{target_id}/publickeys/{key_id}/activate", api.ActivatePublicKeyAsync, "ActivatePublicKey");
        Map(group, HttpMethods.Post, "/v2/actions/targets/{target_id}/publickeys/{key_id}/deactivate", api.DeactivatePublicKeyAsync, "DeactivatePublicKey");
        Map(group, HttpMethods.Delete, "/v2/actions/targets/{target_id}/publickeys/{key_id}", api.RemovePublicKeyAsync, "RemovePublicKey");
        return group;
    }

    private static void Map(RouteGroupBuilder group, string method, string pattern, RequestDelegate handler, string name) =>
        group.MapMethods(pattern, [method], handler).WithDisplayName("ActionExec " + name);
}
