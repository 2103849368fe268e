using ActionExec.Engine;
using ActionExec.Targets;

namespace ActionExec.Dispatch;

/// <summary>One request to a target: what an <see cref="ITargetInvoker"/> sends.</summary>
/// <remarks>A host's tests build one with the public constructor to unit-test their own invoker.</remarks>
public sealed class TargetRequest
{
    // One reference, as the flow builds it: a request is allocated for every target of every flow.
    private readonly ResolvedTarget _target;
    private readonly FlowIds? _flowIds;
    private readonly int _position;
    private string? _deliveryId;

    /// <summary>Creates a request, for instance in a test of an invoker.</summary>
    /// <param name="target">The target.</param>
    /// <param name="payload">The exact UTF-8 JSON bytes to send (and to sign).</param>
    /// <param name="deliveryId">An id that stays the same across retries of one delivery (sent as <c>webhook-id</c>).</param>
    /// <param name="attempt">The attempt number, from 1.</param>
    /// <param name="signingKey">The key to sign with; <see langword="null"/> sends the request unsigned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="deliveryId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="deliveryId"/> is empty, or the target's endpoint is not an absolute URI.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    public TargetRequest(Target target, ReadOnlyMemory<byte> payload, string deliveryId, int attempt = 1, string? signingKey = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (!Uri.TryCreate(target.Endpoint, UriKind.Absolute, out var endpoint))
        {
            throw new ArgumentException($"The target's endpoint '{target.Endpoint}' is not an absolute URI; give one such as https://example.com/hook.", nameof(target));
        }

        _target = new ResolvedTarget(target, endpoint, signingKey ?? "");
        Payload = payload;
        _deliveryId = deliveryId;
        Attempt = attempt;
    }

    /// <summary>Creates the request of one attempt of a background delivery or the console.</summary>
    internal TargetRequest(ResolvedTarget target, ReadOnlyMemory<byte> payload, string deliveryId, int attempt)
        : this(target, payload, attempt) => _deliveryId = deliveryId;

    /// <summary>Creates the request of the target at <paramref name="position"/> in a synchronous flow; its id is formatted when first read.</summary>
    internal TargetRequest(ResolvedTarget target, ReadOnlyMemory<byte> payload, FlowIds flowIds, int position)
        : this(target, payload, 1)
    {
        _flowIds = flowIds;
        _position = position;
    }

    private TargetRequest(ResolvedTarget target, ReadOnlyMemory<byte> payload, int attempt)
    {
        _target = target;
        Payload = payload;
        Attempt = attempt;
    }

    /// <summary>The target, as it is defined.</summary>
    public Target Target => _target.Definition;

    /// <summary>The target's endpoint, parsed.</summary>
    public Uri Endpoint => _target.Endpoint;

    /// <summary>The exact UTF-8 JSON bytes to send.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>An id that stays the same across retries of one delivery, so a receiver can drop duplicates.</summary>
    /// <remarks>
    /// Two threads reading it for the first time at once may both format it; they format the same value, so either may win.
    /// </remarks>
    public string DeliveryId => _deliveryId ??= _flowIds!.Format(_position);

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The key the request is signed with, for invokers that sign (never log it); empty when it is not signed.</summary>
    public string SigningKey => _target.SigningKey;
}
