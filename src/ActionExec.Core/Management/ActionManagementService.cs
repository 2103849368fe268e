using System.Collections.Immutable;
using System.Globalization;
using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Includes;
using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Management;

/// <summary>
/// Manages a tenant's targets and executions: <c>SetExecution</c> with its nine steps in order,
/// target create, get, list, update, key rotation and delete, execution get and list, and explain. Every call
/// is scoped to the caller's tenant and checked against the caller's permissions and the <c>actions</c> feature.
/// A failed call changes nothing.
/// </summary>
internal sealed partial class ActionManagementService : IActionManagement
{
    private readonly ActionEngine _engine;
    private readonly ActionCatalog _catalog;
    private readonly IActionPermissionChecker _permissions;
    private readonly IActionFeatureFlags _features;
    private readonly TimeProvider _time;
    private readonly IReadOnlySet<string> _schemes;
    private readonly IDeliveryHistory? _history;

    /// <summary>Creates the service.</summary>
    /// <param name="engine">The engine that owns the tenants' snapshots.</param>
    /// <param name="catalog">What exists in the host; <see cref="ActionCatalog.Unrestricted"/> accepts every well-formed condition.</param>
    /// <param name="permissions">The permission checker.</param>
    /// <param name="features">The feature flags.</param>
    /// <param name="time">The clock for change dates.</param>
    /// <param name="invokers">The registered invokers: a target's endpoint must use a scheme one of them claims. Without it, <c>http</c> and <c>https</c>.</param>
    /// <param name="history">The delivery history; without it the delivery members answer <see cref="ActionExecErrorCode.Unimplemented"/>.</param>
    public ActionManagementService(
        ActionEngine engine,
        ActionCatalog catalog,
        IActionPermissionChecker permissions,
        IActionFeatureFlags features,
        TimeProvider time,
        TargetInvokerRegistry? invokers = null,
        IDeliveryHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(time);
        _engine = engine;
        _catalog = catalog;
        _permissions = permissions;
        _features = features;
        _time = time;
        _schemes = invokers?.Schemes ?? TargetRules.HttpSchemes;
        _history = history;
    }

    /// <summary>The longest timeout a target may have.</summary>
    internal TimeSpan MaxTargetTimeout => _engine.Options.MaxTargetTimeout;

    /// <summary>The schemes a target's endpoint may use.</summary>
    internal IReadOnlySet<string> Schemes => _schemes;

    /// <summary>
    /// Replaces the whole entry list of <paramref name="condition"/>. An empty list removes the execution.
    /// Entries equal to the stored ones change nothing and return the stored details.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionWrite"/>.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="entries">The ordered entries: targets and includes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The details of the change, and whether anything was written.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the feature is
    /// disabled or the include graph would be cyclic or too deep; <see cref="ActionExecErrorCode.InvalidArgument"/> for a
    /// malformed entry list or a condition not in the catalog; <see cref="ActionExecErrorCode.NotFound"/> for a missing target or include.
    /// </exception>
    public async ValueTask<SetExecutionResult> SetExecutionAsync(
        ManagementCaller caller,
        Condition condition,
        IReadOnlyList<ExecutionEntry> entries,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(entries);
        await AuthorizeAsync(caller, ActionPermissions.ExecutionWrite, cancellationToken).ConfigureAwait(false);
        return await SetValidatedExecutionAsync(caller, condition, entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a target and returns it with its signing key, which is never returned again.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="spec">The target's name, endpoint, type, timeout and error policy.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target and its signing key.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the feature is
    /// disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for any broken limit (all listed);
    /// <see cref="ActionExecErrorCode.AlreadyExists"/> when the name is taken.
    /// </exception>
    public async ValueTask<CreatedTarget> CreateTargetAsync(ManagementCaller caller, TargetSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        TargetRules.Validate(spec, _engine.Options.MaxTargetTimeout, _schemes);
        var key = SigningKeys.Generate(spec.SignatureScheme);
        return await _engine.WriteAsync(
            caller.TenantId,
            snapshot =>
            {
                EnsureNameFree(snapshot, spec.Name, exceptId: null);
                var now = _time.GetUtcNow();
                var target = ToTarget(spec, Guid.CreateVersion7().ToString("N"), now, now, snapshot.Sequence + 1);
                var change = NewChange(snapshot, now) with { UpsertedTargets = [new StoredTarget(target, key)] };
                return (new CreatedTarget(target, key), change);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a target (never its key).</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetRead"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/> when the tenant has no such target; otherwise <see cref="ActionExecErrorCode.PermissionDenied"/> or <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    public async ValueTask<Target> GetTargetAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        var snapshot = await ReadAsync(caller, ActionPermissions.TargetRead, cancellationToken).ConfigureAwait(false);
        return snapshot.TryGetTarget(targetId, out var target) ? target : throw TargetNotFound(caller.TenantId, targetId);
    }

    /// <summary>Lists the tenant's targets (never their keys), oldest first.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetRead"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The targets.</returns>
    public async ValueTask<ImmutableArray<Target>> ListTargetsAsync(ManagementCaller caller, CancellationToken cancellationToken = default)
    {
        var snapshot = await ReadAsync(caller, ActionPermissions.TargetRead, cancellationToken).ConfigureAwait(false);
        return [.. snapshot.Targets.OrderBy(static t => t.CreationDate).ThenBy(static t => t.Id, StringComparer.Ordinal)];
    }

    /// <summary>Changes a target; properties left null in <paramref name="update"/> keep their values. The key is kept.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target after the change (unchanged, with its sequence, when the update changes nothing).</returns>
    /// <exception cref="ActionExecException">As creating a target, plus <see cref="ActionExecErrorCode.NotFound"/>.</exception>
    public async ValueTask<Target> UpdateTargetAsync(ManagementCaller caller, string targetId, TargetUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        ArgumentNullException.ThrowIfNull(update);
        return await ChangeTargetAsync(
            caller,
            targetId,
            (snapshot, stored, change) =>
            {
                var spec = update.ApplyTo(ToSpec(stored.Definition));
                TargetRules.Validate(spec, _engine.Options.MaxTargetTimeout, _schemes);
                EnsureNameFree(snapshot, spec.Name, exceptId: targetId);
                if (spec == ToSpec(stored.Definition))
                {
                    return (stored.Definition, null);
                }

                var target = ToTarget(spec, targetId, stored.Definition.CreationDate, change.ChangeDate, change.Sequence);
                return (target, change with { UpsertedTargets = [stored.ToStored() with { Target = target }] });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces a target's signing key with a new one and returns it; the old key stops working for new calls.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target and its new key.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    public async ValueTask<CreatedTarget> RotateSigningKeyAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default)
    {
        return await ChangeTargetAsync(
            caller,
            targetId,
            (_, stored, change) =>
            {
                var key = SigningKeys.Generate(stored.Definition.SignatureScheme);
                var target = stored.Definition with { ChangeDate = change.ChangeDate, Sequence = change.Sequence };
                return (new CreatedTarget(target, key), change with { UpsertedTargets = [stored.ToStored() with { Target = target, SigningKey = key }] });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a target and removes it from every execution that references it; those executions stay, with their other entries in order.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The details of the change.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    public async ValueTask<ExecutionDetails> DeleteTargetAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default)
    {
        return await ChangeTargetAsync(
            caller,
            targetId,
            (snapshot, _, change) =>
            {
                var details = new ExecutionDetails(change.Sequence, change.ChangeDate, caller.TenantId);
                var reference = ExecutionEntry.ForTarget(targetId);
                var executions = snapshot.Executions
                    .Where(e => e.Entries.Contains(reference))
                    .Select(e => new Execution(e.Condition, e.Entries.Remove(reference), details) { CreationDate = e.CreationDate })
                    .ToImmutableArray();
                return (details, change with { DeletedTargetIds = [targetId], UpsertedExecutions = executions });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the execution of exactly one condition.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    public async ValueTask<Execution> GetExecutionAsync(ManagementCaller caller, Condition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var snapshot = await ReadAsync(caller, ActionPermissions.ExecutionRead, cancellationToken).ConfigureAwait(false);
        return snapshot.TryGetExecution(condition, out var execution)
            ? execution
            : throw new ActionExecException(ActionExecErrorCode.NotFound, $"The execution '{condition.Id}' does not exist in tenant '{caller.TenantId}'; set it first.");
    }

    /// <summary>Lists the tenant's executions, ordered by condition id.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The executions.</returns>
    public async ValueTask<ImmutableArray<Execution>> ListExecutionsAsync(ManagementCaller caller, CancellationToken cancellationToken = default)
    {
        var snapshot = await ReadAsync(caller, ActionPermissions.ExecutionRead, cancellationToken).ConfigureAwait(false);
        return [.. snapshot.Executions.OrderBy(static e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>Explains which execution a call matches, why, its flattened targets and any include that resolved to nothing.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">A full method, an event type or a function name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The explanation.</returns>
    public async ValueTask<ExecutionExplanation> ExplainAsync(ManagementCaller caller, ConditionKind kind, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var snapshot = await ReadAsync(caller, ActionPermissions.ExecutionRead, cancellationToken).ConfigureAwait(false);
        return snapshot.Explain(kind, value);
    }

    /// <summary>Steps 3 to 9 of <c>SetExecution</c>, after permission and feature have been checked.</summary>
    internal async ValueTask<SetExecutionResult> SetValidatedExecutionAsync(
        ManagementCaller caller,
        Condition condition,
        IReadOnlyList<ExecutionEntry> entries,
        CancellationToken cancellationToken)
    {
        // Steps 3 and 4: a Condition is well-formed by construction; the entries are checked together.
        ExecutionRules.ValidateEntries(entries);
        ImmutableArray<ExecutionEntry> list = [.. entries];

        // Step 5.
        if (!_catalog.Contains(condition))
        {
            throw ActionExecException.InvalidArgument(ConditionField(condition), _catalog.DescribeMissing(condition));
        }

        return await _engine.WriteAsync(
            caller.TenantId,
            snapshot =>
            {
                var now = _time.GetUtcNow();
                var exists = snapshot.TryGetExecution(condition, out var stored);

                // Step 6. An empty list on an existing (even empty) execution removes it, which is a change.
                if (list.IsEmpty && !exists)
                {
                    return (new SetExecutionResult(new ExecutionDetails(snapshot.Sequence, now, caller.TenantId), Changed: false), (TenantChange?)null);
                }

                if (exists && !list.IsEmpty && stored!.Entries.AsSpan().SequenceEqual(list.AsSpan()))
                {
                    return (new SetExecutionResult(stored.Details, Changed: false), null);
                }

                // Steps 7 and 8.
                EnsureReferencesExist(snapshot, caller.TenantId, condition, list);
                EnsureIncludeGraph(snapshot, condition, list);

                // Step 9.
                var details = new ExecutionDetails(snapshot.Sequence + 1, now, caller.TenantId);
                var change = list.IsEmpty
                    ? NewChange(snapshot, now) with { DeletedExecutions = [condition] }
                    : NewChange(snapshot, now) with { UpsertedExecutions = [new Execution(condition, list, details) { CreationDate = exists ? stored!.CreationDate : now }] };
                return (new SetExecutionResult(details, Changed: true), change);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The shape of every change to an existing target: the permission, then, under the tenant's write lock, the stored
    /// target (or <see cref="ActionExecErrorCode.NotFound"/>) and an empty change at the next sequence for
    /// <paramref name="decide"/> to fill, or to return as null when nothing changes.
    /// </summary>
    private async ValueTask<TResult> ChangeTargetAsync<TResult>(
        ManagementCaller caller,
        string targetId,
        Func<ActionSnapshot, ResolvedTarget, TenantChange, (TResult Result, TenantChange? Change)> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        return await _engine.WriteAsync(
            caller.TenantId,
            snapshot => decide(snapshot, GetStored(snapshot, caller.TenantId, targetId), NewChange(snapshot, _time.GetUtcNow())),
            cancellationToken).ConfigureAwait(false);
    }

    private static void EnsureReferencesExist(ActionSnapshot snapshot, string tenantId, Condition condition, ImmutableArray<ExecutionEntry> entries)
    {
        var violations = new List<FieldViolation>();
        var missing = new List<string>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.Kind == ExecutionEntryKind.Target)
            {
                if (!snapshot.TryGetTarget(entry.TargetId!, out _))
                {
                    missing.Add($"target '{entry.TargetId}'");
                    violations.Add(new FieldViolation($"targets[{i}].target", $"The target '{entry.TargetId}' does not exist in tenant '{tenantId}'; create it first or remove it from the list."));
                }
            }
            else if (entry.Include != condition && !snapshot.TryGetExecution(entry.Include!, out _))
            {
                // Including the execution being set is not "missing": it is a cycle, reported by the next step.
                missing.Add($"include '{entry.Include!.Id}'");
                violations.Add(new FieldViolation($"targets[{i}].include", $"The execution '{entry.Include!.Id}' does not exist in tenant '{tenantId}'; set it first or remove the include."));
            }
        }

        if (missing.Count > 0)
        {
            // Listed like violations: a list of thousands of unknown ids must not make an answer of megabytes.
            var listed = missing.Count <= ActionExecException.MaxListedViolations
                ? string.Join(", ", missing)
                : string.Join(", ", missing.Take(ActionExecException.MaxListedViolations)) + $" and {missing.Count - ActionExecException.MaxListedViolations} more";
            throw new ActionExecException(
                ActionExecErrorCode.NotFound,
                $"Not found in tenant '{tenantId}': {listed}; create them first or remove them from the list.",
                violations);
        }
    }

    private void EnsureIncludeGraph(ActionSnapshot snapshot, Condition condition, ImmutableArray<ExecutionEntry> entries)
    {
        // Without includes in the new list the execution becomes a leaf: no cycle and no deeper chain can arise.
        if (!entries.Any(static e => e.Kind == ExecutionEntryKind.Include))
        {
            return;
        }

        var problem = IncludeGraph.Check(snapshot.IncludeGraphWith(condition, entries), _engine.Options.MaxIncludeDepth, condition.Id);
        if (problem is not null)
        {
            throw new ActionExecException(ActionExecErrorCode.FailedPrecondition, problem.Message);
        }
    }

    private static void EnsureNameFree(ActionSnapshot snapshot, string name, string? exceptId)
    {
        if (snapshot.TryGetTargetIdByName(name, out var id) && !string.Equals(id, exceptId, StringComparison.Ordinal))
        {
            throw new ActionExecException(
                ActionExecErrorCode.AlreadyExists,
                $"A target named '{name}' already exists in tenant '{snapshot.TenantId}' (id '{id}'); choose another name or update that target.",
                [new FieldViolation("name", $"The name '{name}' is taken.")]);
        }
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryPage> ListDeliveriesAsync(ManagementCaller caller, DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var history = await HistoryAsync(caller, ActionPermissions.DeliveryRead, cancellationToken).ConfigureAwait(false);
        var violations = new List<FieldViolation>();
        if (query.Offset < 0)
        {
            violations.Add(new FieldViolation("offset", string.Create(CultureInfo.InvariantCulture, $"The offset is {query.Offset}; give zero or more.")));
        }

        if (query.Limit is < 1 or > DeliveryQuery.MaxLimit)
        {
            violations.Add(new FieldViolation("limit", string.Create(CultureInfo.InvariantCulture, $"The limit is {query.Limit}; give a page size from 1 to {DeliveryQuery.MaxLimit}.")));
        }

        if (query.From > query.To)
        {
            violations.Add(new FieldViolation("from", string.Create(CultureInfo.InvariantCulture, $"The time range starts at {query.From:O}, after its end {query.To:O}; give a start before the end.")));
        }

        if (query.Status is { } status && !Enum.IsDefined(status))
        {
            violations.Add(new FieldViolation("status", string.Create(CultureInfo.InvariantCulture, $"The status {(int)status} is unknown; give pending, delivered or dead-lettered.")));
        }

        if (query.TargetId is { Length: 0 })
        {
            violations.Add(new FieldViolation("targetId", "The target id is empty; give a target's id, or none for every target."));
        }

        if (violations.Count > 0)
        {
            throw ActionExecException.InvalidArgument(violations);
        }

        return await history.QueryAsync(caller.TenantId, query, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryRecord> GetDeliveryAsync(ManagementCaller caller, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        var history = await HistoryAsync(caller, ActionPermissions.DeliveryRead, cancellationToken).ConfigureAwait(false);
        EnsureDeliveryId(deliveryId);
        return await history.GetAsync(caller.TenantId, deliveryId, cancellationToken).ConfigureAwait(false)
            ?? throw DeliveryNotFound(caller.TenantId, deliveryId);
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryRecord> ReplayDeliveryAsync(ManagementCaller caller, string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        var history = await HistoryAsync(caller, ActionPermissions.DeliveryWrite, cancellationToken).ConfigureAwait(false);
        EnsureDeliveryId(deliveryId);
        return await history.ReplayAsync(caller.TenantId, deliveryId, cancellationToken).ConfigureAwait(false)
            ?? throw DeliveryNotFound(caller.TenantId, deliveryId);
    }

    /// <inheritdoc />
    public async ValueTask<int> ReplayDeadLettersAsync(ManagementCaller caller, DateTimeOffset since, string? targetId, CancellationToken cancellationToken = default)
    {
        var history = await HistoryAsync(caller, ActionPermissions.DeliveryWrite, cancellationToken).ConfigureAwait(false);
        if (targetId is { Length: 0 })
        {
            throw ActionExecException.InvalidArgument("targetId", "The target id is empty; give a target's id, or none to replay every dead letter.");
        }

        return await history.ReplayDeadLettersAsync(caller.TenantId, since, targetId, cancellationToken).ConfigureAwait(false);
    }

    private static void EnsureDeliveryId(string deliveryId)
    {
        if (deliveryId.Length == 0)
        {
            throw ActionExecException.InvalidArgument("deliveryId", "The delivery id is empty; give the id of a delivery (its webhook-id).");
        }
    }

    private static ActionExecException DeliveryNotFound(string tenantId, string deliveryId) =>
        new(ActionExecErrorCode.NotFound, $"The delivery '{MessageText.Shorten(deliveryId)}' does not exist in tenant '{tenantId}' (or is past the history's retention); list the deliveries to find its id.");

    private async ValueTask<IDeliveryHistory> HistoryAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(caller, permission, cancellationToken).ConfigureAwait(false);
        return _history ?? throw new ActionExecException(
            ActionExecErrorCode.Unimplemented,
            "The registered delivery queue keeps no delivery history; register a queue that implements IDeliveryHistory (the in-memory and PostgreSQL queues do).");
    }

    private static ResolvedTarget GetStored(ActionSnapshot snapshot, string tenantId, string targetId) =>
        snapshot.TryGetResolvedTarget(targetId, out var target) ? target : throw TargetNotFound(tenantId, targetId);

    private static ActionExecException TargetNotFound(string tenantId, string targetId) =>
        new(ActionExecErrorCode.NotFound, $"The target '{MessageText.Shorten(targetId)}' does not exist in tenant '{tenantId}'; list the targets to find its id.");

    private static TenantChange NewChange(ActionSnapshot snapshot, DateTimeOffset now) =>
        new() { TenantId = snapshot.TenantId, ExpectedSequence = snapshot.Sequence, ChangeDate = now };

    private static Target ToTarget(TargetSpec spec, string id, DateTimeOffset created, DateTimeOffset changed, ulong sequence) => new()
    {
        Id = id,
        Name = spec.Name,
        Endpoint = spec.Endpoint,
        Type = spec.Type,
        Timeout = spec.Timeout,
        InterruptOnError = spec.InterruptOnError,
        PayloadType = spec.PayloadType,
        SignatureScheme = spec.SignatureScheme,
        CreationDate = created,
        ChangeDate = changed,
        Sequence = sequence,
    };

    private static TargetSpec ToSpec(Target target) => new()
    {
        Name = target.Name,
        Endpoint = target.Endpoint,
        Type = target.Type,
        Timeout = target.Timeout,
        InterruptOnError = target.InterruptOnError,
        PayloadType = target.PayloadType,
        SignatureScheme = target.SignatureScheme,
    };

    private static string ConditionField(Condition condition) =>
        "condition." + ConditionRules.Name(condition.Kind) + "." + Condition.FieldName(condition.Scope);

    /// <summary>Steps 1 and 2 of every call: the permission first (so a caller without it learns nothing), then the feature.</summary>
    internal ValueTask AuthorizeAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken) =>
        ActionAuthorization.EnsureAsync(_permissions, _features, caller, permission, cancellationToken);

    private async ValueTask<ActionSnapshot> ReadAsync(ManagementCaller caller, string permission, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(caller, permission, cancellationToken).ConfigureAwait(false);
        return await _engine.GetSnapshotAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
    }
}
