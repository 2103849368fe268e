using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;

namespace ActionExec.Management;

/// <summary>
/// Manages a tenant's targets and executions: <c>SetExecution</c>, target create, get, list, search, update, key rotation and
/// delete, a target's public keys, execution get, list and search, and explain; and reads and replays the tenant's delivery history. Every call is scoped to the caller's tenant and checked against the caller's
/// permissions and the <c>actions</c> feature. A failed call changes nothing.
/// </summary>
/// <remarks>Registered by <c>AddActionExecutions</c>. Host code that calls it can be unit-tested with a substitute of this interface.</remarks>
public interface IActionManagement
{
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
    ValueTask<SetExecutionResult> SetExecutionAsync(
        ManagementCaller caller,
        Condition condition,
        IReadOnlyList<ExecutionEntry> entries,
        CancellationToken cancellationToken = default);

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
    ValueTask<CreatedTarget> CreateTargetAsync(ManagementCaller caller, TargetSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Gets a target (never its key).</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetRead"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/> when the tenant has no such target; otherwise <see cref="ActionExecErrorCode.PermissionDenied"/> or <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    ValueTask<Target> GetTargetAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's targets (never their keys), oldest first.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetRead"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The targets.</returns>
    ValueTask<ImmutableArray<Target>> ListTargetsAsync(ManagementCaller caller, CancellationToken cancellationToken = default);

    /// <summary>Changes a target; properties left null in <paramref name="update"/> keep their values. The key is kept.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target after the change (unchanged, with its sequence, when the update changes nothing).</returns>
    /// <exception cref="ActionExecException">As creating a target, plus <see cref="ActionExecErrorCode.NotFound"/>.</exception>
    ValueTask<Target> UpdateTargetAsync(ManagementCaller caller, string targetId, TargetUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Replaces a target's signing key with a new one and returns it; the old key stops working for new calls.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target and its new key.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    ValueTask<CreatedTarget> RotateSigningKeyAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a target and removes it from every execution that references it; those executions stay, with their other entries in order.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The details of the change.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    ValueTask<ExecutionDetails> DeleteTargetAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a public key to a target, for payloads of type <c>jwe</c>. The key starts inactive; activate it to use it.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="publicKey">
    /// One PEM block, <c>PUBLIC KEY</c> or <c>RSA PUBLIC KEY</c>, of at most 8192 bytes: an RSA key of at least 2048 bits or an EC
    /// key on P-256, P-384 or P-521. A private key is refused.
    /// </param>
    /// <param name="expirationDate">When the key stops being used, in the future; <see langword="null"/> for a key that does not expire.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key as stored: its generated id (the JWE's <c>kid</c>), its fingerprint and its dates.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.InvalidArgument"/> for a key or an expiration that breaks a rule (all listed);
    /// <see cref="ActionExecErrorCode.NotFound"/> when the tenant has no such target; <see cref="ActionExecErrorCode.AlreadyExists"/> when
    /// the target already holds the same key; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the target holds the most keys
    /// it may (10) or the feature is disabled; <see cref="ActionExecErrorCode.PermissionDenied"/>.
    /// </exception>
    ValueTask<TargetPublicKey> AddPublicKeyAsync(
        ManagementCaller caller,
        string targetId,
        string publicKey,
        DateTimeOffset? expirationDate,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a key the target's active key, which deactivates the key active before. Activating the active key changes nothing.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key after the call.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.NotFound"/> for an unknown target or key; <see cref="ActionExecErrorCode.FailedPrecondition"/>
    /// when the key has expired or the feature is disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for an empty id;
    /// <see cref="ActionExecErrorCode.PermissionDenied"/>.
    /// </exception>
    ValueTask<TargetPublicKey> ActivatePublicKeyAsync(ManagementCaller caller, string targetId, string keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deactivates a key: payloads of type <c>jwe</c> to the target fail until another key is activated. Deactivating an
    /// inactive (or expired) key changes nothing.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key after the call.</returns>
    /// <exception cref="ActionExecException">As <see cref="ActivatePublicKeyAsync"/>, except that an expired key is no error.</exception>
    ValueTask<TargetPublicKey> DeactivatePublicKeyAsync(ManagementCaller caller, string targetId, string keyId, CancellationToken cancellationToken = default);

    /// <summary>Removes an inactive (or expired) key from a target for good.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetWrite"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>When the key was removed.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.FailedPrecondition"/> when the key is the active one (deactivate it first) or the feature is
    /// disabled; otherwise as <see cref="ActivatePublicKeyAsync"/>.
    /// </exception>
    ValueTask<DateTimeOffset> RemovePublicKeyAsync(ManagementCaller caller, string targetId, string keyId, CancellationToken cancellationToken = default);

    /// <summary>Lists a target's public keys, oldest first, each as it stands now: a key past its expiration is listed as inactive.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetRead"/>.</param>
    /// <param name="targetId">The target id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    ValueTask<ImmutableArray<TargetPublicKey>> ListPublicKeysAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default);

    /// <summary>Gets the execution of exactly one condition.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.NotFound"/>, <see cref="ActionExecErrorCode.PermissionDenied"/>, <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    ValueTask<Execution> GetExecutionAsync(ManagementCaller caller, Condition condition, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's executions, ordered by condition id.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The executions.</returns>
    ValueTask<ImmutableArray<Execution>> ListExecutionsAsync(ManagementCaller caller, CancellationToken cancellationToken = default);

    /// <summary>Explains which execution a call matches, why, its flattened targets and any include that resolved to nothing.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">A full method, an event type or a function name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The explanation.</returns>
    ValueTask<ExecutionExplanation> ExplainAsync(ManagementCaller caller, ConditionKind kind, string value, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's deliveries in the delivery history, newest first, filtered and paged.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.DeliveryRead"/>.</param>
    /// <param name="query">The filters and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, its records without attempts, and how many match in all.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the feature is
    /// disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for a negative <c>offset</c>, a <c>limit</c> outside 1 to
    /// <see cref="DeliveryQuery.MaxLimit"/>, or <c>from</c> after <c>to</c> (all listed); <see cref="ActionExecErrorCode.Unimplemented"/>
    /// when the registered delivery queue keeps no history.
    /// </exception>
    ValueTask<DeliveryPage> ListDeliveriesAsync(ManagementCaller caller, DeliveryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Gets one of the tenant's deliveries with its attempts.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.DeliveryRead"/>.</param>
    /// <param name="deliveryId">The delivery id (its <c>webhook-id</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record with its attempts, oldest first.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.NotFound"/> when the tenant has no such delivery (or it is past retention);
    /// <see cref="ActionExecErrorCode.InvalidArgument"/> for an empty id; otherwise as <see cref="ListDeliveriesAsync"/>.
    /// </exception>
    ValueTask<DeliveryRecord> GetDeliveryAsync(ManagementCaller caller, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers a finished delivery again with the same id: a dead letter to the targets it gave up or abandoned, a delivered one
    /// to all its targets. It becomes pending, due now, with fresh attempts and a fresh age.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.DeliveryWrite"/>.</param>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record as it now stands.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.NotFound"/> when the tenant has no such delivery; <see cref="ActionExecErrorCode.FailedPrecondition"/>
    /// when it is still pending; <see cref="ActionExecErrorCode.InvalidArgument"/> for an empty id; otherwise as <see cref="ListDeliveriesAsync"/>.
    /// </exception>
    ValueTask<DeliveryRecord> ReplayDeliveryAsync(ManagementCaller caller, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Replays every dead letter of the tenant created at or after <paramref name="since"/>, optionally only those that gave up <paramref name="targetId"/>.</summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.DeliveryWrite"/>.</param>
    /// <param name="since">The earliest creation time.</param>
    /// <param name="targetId">Only dead letters that gave up this target; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many deliveries were replayed.</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.InvalidArgument"/> for an empty <paramref name="targetId"/>; otherwise as <see cref="ListDeliveriesAsync"/>.
    /// </exception>
    ValueTask<int> ReplayDeadLettersAsync(ManagementCaller caller, DateTimeOffset since, string? targetId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Searches the tenant's targets (never their keys): the targets that match every filter, sorted by the query's field
    /// (id breaking ties), descending unless ascending is asked, and paged by offset and limit.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.TargetRead"/>.</param>
    /// <param name="query">The filters, the sort field and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, how many targets match in all, and the limit applied (<see cref="TargetQuery.DefaultLimit"/> for 0).</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the feature is
    /// disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for a negative offset, a limit above
    /// <see cref="TargetQuery.MaxLimit"/>, an unknown sort field or method, or a name filter over 200 characters (all listed).
    /// </exception>
    ValueTask<TargetPage> SearchTargetsAsync(ManagementCaller caller, TargetQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Searches the tenant's executions: those that match every filter, each with the targets it calls (its entries with
    /// includes resolved), sorted by the query's field (id breaking ties), descending unless ascending is asked, and paged.
    /// </summary>
    /// <param name="caller">The caller; needs <see cref="ActionPermissions.ExecutionRead"/>.</param>
    /// <param name="query">The filters, the sort field and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, how many executions match in all, and the limit applied (<see cref="ExecutionQuery.DefaultLimit"/> for 0).</returns>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.PermissionDenied"/>; <see cref="ActionExecErrorCode.FailedPrecondition"/> when the feature is
    /// disabled; <see cref="ActionExecErrorCode.InvalidArgument"/> for a negative offset, a limit above
    /// <see cref="ExecutionQuery.MaxLimit"/>, an unknown sort field or execution type, or a malformed target id (all listed).
    /// </exception>
    ValueTask<ExecutionPage> SearchExecutionsAsync(ManagementCaller caller, ExecutionQuery query, CancellationToken cancellationToken = default);
}
