namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// Remembers the deliveries a receiver accepted until their signed timestamp is stale, so that a replayed request is rejected.
/// The default keeps them in memory, per process; a receiver running several instances registers an implementation over a
/// store they share, whose <see cref="TryAddAsync"/> is atomic (add only when absent).
/// </summary>
public interface IActionReplayCache
{
    /// <summary>Adds <paramref name="key"/> unless it is present and not yet expired.</summary>
    /// <param name="key">A fixed-length key derived from the delivery (its <c>webhook-id</c>, or its signature); never a secret.</param>
    /// <param name="expiresAt">When the key may be forgotten: the signed timestamp plus the tolerance.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <returns><see langword="true"/> when the key was added; <see langword="false"/> when it was already there (a replay).</returns>
    ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets <paramref name="key"/>: the receiver's handler did not answer with success, so the sender's retry of the same
    /// delivery must be let through.
    /// </summary>
    /// <param name="key">A key added by <see cref="TryAddAsync"/>.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <returns>A task that completes when the key is forgotten.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken);
}
