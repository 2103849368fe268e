using ActionExec.Engine;

namespace ActionExec.Targets;

/// <summary>
/// Answers the sender's one question about public keys: which key a payload to a target is encrypted to now. The keys are part
/// of the tenant's compiled snapshot, so an answer costs a dictionary lookup, not a store round trip.
/// </summary>
internal sealed class TargetPublicKeyResolver
{
    private readonly ActionEngine _engine;
    private readonly TimeProvider _time;

    /// <summary>Creates the resolver.</summary>
    /// <param name="engine">The engine that owns the tenants' snapshots.</param>
    /// <param name="time">The clock against which expiration is evaluated.</param>
    public TargetPublicKeyResolver(ActionEngine engine, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(time);
        _engine = engine;
        _time = time;
    }

    /// <summary>The active, unexpired public key of a target; <see langword="null"/> when the target has none or does not exist.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="targetId">The target.</param>
    /// <param name="cancellationToken">Cancels loading the tenant when it is not loaded yet.</param>
    /// <returns>The key (its <see cref="TargetPublicKey.KeyId"/> is the JWE's <c>kid</c>), or <see langword="null"/>.</returns>
    public async ValueTask<TargetPublicKey?> GetActiveKeyAsync(string tenantId, string targetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(targetId);
        var snapshot = await _engine.GetSnapshotAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return GetActiveKey(snapshot, targetId);
    }

    /// <summary>The active, unexpired public key of a target in a snapshot the caller already holds.</summary>
    /// <param name="snapshot">The tenant's snapshot.</param>
    /// <param name="targetId">The target.</param>
    /// <returns>The key, or <see langword="null"/>.</returns>
    public TargetPublicKey? GetActiveKey(ActionSnapshot snapshot, string targetId)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.TryGetResolvedTarget(targetId, out var target) ? target.ActivePublicKeyAt(_time.GetUtcNow()) : null;
    }
}
