using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The GA calls (<c>zitadel.action.v2</c>) from a request in its wire form, made by the delegate only once the permission is
/// checked: the gRPC service maps its message onto the wire record there. Then the same reading and rules as the JSON bodies
/// of <c>/v2/actions</c>, so the two transports accept, refuse and name everything alike.
/// </summary>
internal sealed partial class ManagementJsonCalls
{
    /// <summary>Creates a target from a GA create request.</summary>
    /// <exception cref="ActionExecException">As <see cref="CreateTargetV2FromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<CreatedTarget> CreateTargetV2Async(ManagementCaller caller, Func<V2CreateTargetRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var spec = request().ToSpec(violations);
        TargetRules.Validate(spec, _options.CurrentValue.MaxTargetTimeout, _invokers.Schemes, violations);
        violations.ThrowIfAny();
        return await _management.CreateTargetAsync(caller, spec, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a target from a GA update request, then replaces its signing key when <c>expirationSigningKey</c> is given.</summary>
    /// <exception cref="ActionExecException">As <see cref="UpdateTargetV2FromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<(DateTimeOffset ChangeDate, string? SigningKey)> UpdateTargetV2Async(
        ManagementCaller caller,
        string targetId,
        Func<V2UpdateTargetRequestJson> request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var wire = request();
        var update = wire.ToUpdate(targetId, violations);
        violations.ThrowIfAny();
        return await UpdateTargetV2Async(caller, targetId, update, wire.ExpirationSigningKey is not null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>SetExecution</c> from a GA request (target ids only); violations name <c>targets[i]</c>.</summary>
    /// <exception cref="ActionExecException">As <see cref="SetExecutionV2FromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<SetExecutionResult> SetExecutionV2Async(ManagementCaller caller, Func<V2SetExecutionRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.ExecutionWrite, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var model = request().ToModel(violations);
        violations.ThrowIfAny();
        try
        {
            return await _management.SetExecutionAsync(caller, model!.Condition, model.Entries, cancellationToken).ConfigureAwait(false);
        }
        catch (ActionExecException error)
        {
            throw V2Json.WithGaTargetPaths(error);
        }
    }

    /// <summary>Searches targets from a GA search request.</summary>
    /// <exception cref="ActionExecException">As <see cref="SearchTargetsFromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<TargetPage> SearchTargetsAsync(ManagementCaller caller, Func<V2ListTargetsRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.TargetRead, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var query = request().ToModel(violations);
        violations.ThrowIfAny();
        return await _management.SearchTargetsAsync(caller, query!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Searches executions from a GA search request.</summary>
    /// <exception cref="ActionExecException">As <see cref="SearchExecutionsFromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<ExecutionPage> SearchExecutionsAsync(ManagementCaller caller, Func<V2ListExecutionsRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.ExecutionRead, cancellationToken).ConfigureAwait(false);
        var violations = new ViolationList();
        var query = request().ToModel(violations);
        violations.ThrowIfAny();
        return await _management.SearchExecutionsAsync(caller, query!, cancellationToken).ConfigureAwait(false);
    }
}
