using ActionExec.Engine;

namespace ActionExec.Dispatch;

/// <summary>One request to a target: what an <see cref="ITargetInvoker"/> sends.</summary>
public sealed class TargetRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="target">The target.</param>
    /// <param name="payload">The exact UTF-8 JSON bytes to send (and to sign).</param>
    /// <param name="deliveryId">An id that stays the same across retries of one delivery (sent as <c>webhook-id</c>).</param>
    /// <param name="attempt">The attempt number, from 1.</param>
    public TargetRequest(ResolvedTarget target, ReadOnlyMemory<byte> payload, string deliveryId, int attempt = 1)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        Target = target;
        Payload = payload;
        DeliveryId = deliveryId;
        Attempt = attempt;
    }

    /// <summary>The target.</summary>
    public ResolvedTarget Target { get; }

    /// <summary>The exact UTF-8 JSON bytes to send.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>An id that stays the same across retries of one delivery, so a receiver can drop duplicates.</summary>
    public string DeliveryId { get; }

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The key the request is signed with, for invokers that sign (never log it).</summary>
    public string SigningKey => Target.SigningKey;
}
