namespace ActionExec.Delivery;

/// <summary>
/// The dead-letter hook: told about every target a background delivery gives up on, so a host can store, alert
/// or replay. Register one with <c>AddDeadLetterObserver</c>; several may be registered and each is told.
/// </summary>
/// <remarks>
/// Observers are called one after another on a delivery worker, so keep them quick (hand slow work to a queue of your
/// own). An observer that throws is logged and does not stop delivery or the other observers.
/// </remarks>
public interface IDeadLetterObserver
{
    /// <summary>Called once for every give-up.</summary>
    /// <param name="deadLetter">What was given up and why; its payload is included, so keep it away from logs.</param>
    /// <param name="cancellationToken">Cancelled when the host is shutting down and can wait no longer.</param>
    /// <returns>A task that completes when the observer is done.</returns>
    ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken);
}
