using ActionExec.AspNetCore.Wire;
using ActionExec.Errors;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>ZITADEL's GA routes for a target's public keys, under <c>/v2/actions/targets/{target_id}/publickeys</c>.</summary>
internal sealed partial class ActionExecutionsApiHandlers
{
    /// <summary><c>POST /v2/actions/targets/{target_id}/publickeys</c> with <c>{"publicKey", "expirationDate"}</c> → <c>{"keyId", "creationDate"}</c>.</summary>
    public Task AddPublicKeyAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var targetId = PathValue(http, "target_id", "target");
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var key = await _json.AddPublicKeyFromJsonAsync(caller, targetId, body, cancellationToken).ConfigureAwait(false);
        return PublicKeyWire.WriteAddResponse(key);
    });

    /// <summary><c>POST /v2/actions/targets/{target_id}/publickeys/{key_id}/activate</c> → <c>{"changeDate"}</c>; no body is read, as ZITADEL maps none.</summary>
    public Task ActivatePublicKeyAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var key = await _management.ActivatePublicKeyAsync(caller, PathValue(http, "target_id", "target"), PathValue(http, "key_id", "public key"), cancellationToken).ConfigureAwait(false);
        return PublicKeyWire.WriteChangeDateResponse(key.ChangeDate);
    });

    /// <summary><c>POST /v2/actions/targets/{target_id}/publickeys/{key_id}/deactivate</c> → <c>{"changeDate"}</c>; no body is read.</summary>
    public Task DeactivatePublicKeyAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var key = await _management.DeactivatePublicKeyAsync(caller, PathValue(http, "target_id", "target"), PathValue(http, "key_id", "public key"), cancellationToken).ConfigureAwait(false);
        return PublicKeyWire.WriteChangeDateResponse(key.ChangeDate);
    });

    /// <summary><c>DELETE /v2/actions/targets/{target_id}/publickeys/{key_id}</c> → <c>{"deletionDate"}</c>.</summary>
    public Task RemovePublicKeyAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var removed = await _management.RemovePublicKeyAsync(caller, PathValue(http, "target_id", "target"), PathValue(http, "key_id", "public key"), cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteDeleteTargetResponse(removed);
    });

    /// <summary><c>POST /v2/actions/targets/{target_id}/publickeys/search</c> with <c>{}</c> (or no body) → <c>{"publicKeys": [ … ]}</c>, oldest first.</summary>
    public Task ListPublicKeysAsync(HttpContext context) => RunAsync(context, async (http, caller, cancellationToken) =>
    {
        var targetId = PathValue(http, "target_id", "target");
        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        var keys = await _management.ListPublicKeysAsync(caller, targetId, cancellationToken).ConfigureAwait(false);

        // Read after the call, which checks the permission first: a caller without it learns nothing about its body.
        PublicKeyWire.ReadListRequest(body.Span);
        return PublicKeyWire.WriteList(keys);
    });

    private static string PathValue(HttpContext context, string name, string what) =>
        context.Request.RouteValues[name] is string { Length: > 0 } value
            ? value
            : throw ActionExecException.InvalidArgument(
                string.Equals(name, "target_id", StringComparison.Ordinal) ? "targetId" : "keyId",
                $"The {what} id is missing from the path; call /v2/actions/targets/{{target_id}}/publickeys with the ids of a target and a key.");
}
