using ActionExec.AspNetCore.Wire;
using ActionExec.Catalog;
using ActionExec.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.AspNetCore;

/// <summary>The handlers of ZITADEL's GA API, <c>zitadel.action.v2.ActionService</c> as mapped to <c>/v2/actions</c>.</summary>
internal sealed partial class ActionExecutionsApiHandlers
{
    /// <summary><c>POST /v2/actions/targets</c> → <c>{"id", "creationDate", "signingKey"}</c>.</summary>
    public Task CreateTargetV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var created = await _json.CreateTargetV2FromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteCreateTargetResponse(created.Target, created.SigningKey);
    });

    /// <summary><c>POST /v2/actions/targets/{id}</c> → <c>{"changeDate"}</c>, plus <c>"signingKey"</c> after <c>expirationSigningKey: "0s"</c>.</summary>
    public Task UpdateTargetV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var id = V2TargetId(http);
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var (changeDate, signingKey) = await _json.UpdateTargetV2FromJsonAsync(caller, id, body, cancellationToken).ConfigureAwait(false);
        return V2Json.WriteUpdateTargetResponse(changeDate, signingKey);
    });

    /// <summary><c>DELETE /v2/actions/targets/{id}</c> → <c>{"deletionDate"}</c>, or <c>{}</c> when the target was already gone.</summary>
    public Task DeleteTargetV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var deleted = await _json.DeleteTargetIfExistsAsync(caller, V2TargetId(http), cancellationToken).ConfigureAwait(false);
        return V2Json.WriteDeleteTargetResponse(deleted);
    });

    /// <summary><c>GET /v2/actions/targets/{id}</c> → <c>{"target": {…}}</c> (never the key).</summary>
    public Task GetTargetV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var target = await _management.GetTargetAsync(caller, V2TargetId(http), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteTargetResponse(target);
    });

    /// <summary><c>POST /v2/actions/targets/search</c> → <c>{"pagination", "targets"}</c>.</summary>
    public Task SearchTargetsV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var page = await _json.SearchTargetsFromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
        return V2Json.WriteListTargetsResponse(page);
    });

    /// <summary><c>PUT /v2/actions/executions</c> with <c>{"condition", "targets": ["&lt;id&gt;"]}</c> → <c>{"setDate"}</c>.</summary>
    public Task SetExecutionV2GaAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var result = await _json.SetExecutionV2FromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteSetDateResponse(result.Details.ChangeDate);
    });

    /// <summary><c>POST /v2/actions/executions/search</c> → <c>{"pagination", "executions"}</c>.</summary>
    public Task SearchExecutionsV2Async(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var page = await _json.SearchExecutionsFromJsonAsync(caller, body, cancellationToken).ConfigureAwait(false);
        return V2Json.WriteListExecutionsResponse(page);
    });

    /// <summary><c>GET /v2/actions/executions/functions</c> → <c>{"functions": [ … ]}</c>, from the catalog; any authenticated caller.</summary>
    public Task ListExecutionFunctionsAsync(HttpContext context) =>
        RunAsync(context, (http, _, _) => ValueTask.FromResult(V2Json.WriteNames("functions", CatalogNames.Functions(Catalog(http)))));

    /// <summary><c>GET /v2/actions/executions/methods</c> → <c>{"methods": [ … ]}</c>, from the catalog; any authenticated caller.</summary>
    public Task ListExecutionMethodsAsync(HttpContext context) =>
        RunAsync(context, (http, _, _) => ValueTask.FromResult(V2Json.WriteNames("methods", CatalogNames.Methods(Catalog(http)))));

    /// <summary><c>GET /v2/actions/executions/services</c> → <c>{"services": [ … ]}</c>, from the catalog; any authenticated caller.</summary>
    public Task ListExecutionServicesAsync(HttpContext context) =>
        RunAsync(context, (http, _, _) => ValueTask.FromResult(V2Json.WriteNames("services", CatalogNames.Services(Catalog(http)))));

    /// <summary><c>GET /v2/actions/executions/events</c> → <c>{"events": [ … ]}</c> (not in ZITADEL), from the catalog; any authenticated caller.</summary>
    public Task ListExecutionEventsAsync(HttpContext context) =>
        RunAsync(context, (http, _, _) => ValueTask.FromResult(V2Json.WriteNames("events", CatalogNames.Events(Catalog(http)))));

    /// <summary><c>GET /v2/actions/executions/groups</c> → <c>{"groups": [ … ]}</c> (not in ZITADEL), from the catalog; any authenticated caller.</summary>
    public Task ListExecutionGroupsAsync(HttpContext context) =>
        RunAsync(context, (http, _, _) => ValueTask.FromResult(V2Json.WriteNames("groups", CatalogNames.Groups(Catalog(http)))));

    private static ActionCatalog Catalog(HttpContext context) => context.RequestServices.GetRequiredService<ActionCatalog>();

    private static string V2TargetId(HttpContext context) =>
        context.Request.RouteValues["id"] is string { Length: > 0 } id
            ? id
            : throw ActionExecException.InvalidArgument("id", "The target id is missing from the path; call /v2/actions/targets/{id} with the id of a target.");
}
