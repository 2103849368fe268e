using ActionExec.Engine;

namespace ActionExec.Dispatch;

/// <summary>One request to a target: what an <see cref="ITargetInvoker"/> sends.</summary>
public sealed class TargetRequest
{
    private readonly FlowIds? _flowIds;
    private readonly int _position;
    private string? _deliveryId;

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
        _deliveryId = deliveryId;
        Attempt = attempt;
    }

    /// <summary>Creates the request of the target at <paramref name="position"/> in a synchronous flow; its id is formatted when first read.</summary>
    internal TargetRequest(ResolvedTarget target, ReadOnlyMemory<byte> payload, FlowIds flowIds, int position)
    {
        Target = target;
        Payload = payload;
        _flowIds = flowIds;
        _position = position;
        Attempt = 1;
    }

    /// <summary>The target.</summary>
    public ResolvedTarget Target { get; }

    /// <summary>The exact UTF-8 JSON bytes to send.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>An id that stays the same across retries of one delivery, so a receiver can drop duplicates.</summary>
    /// <remarks>
    /// Two threads reading it for the first time at once may both format it; they format the same value, so either may win.
    /// </remarks>
    public string DeliveryId => _deliveryId ??= _flowIds!.Format(_position);

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The key the request is signed with, for invokers that sign (never log it).</summary>
    public string SigningKey => Target.SigningKey;
}
