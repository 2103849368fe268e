using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.Dispatch;
using ActionExec.Targets;

namespace ActionExec.Testing;

/// <summary>One call that reached a <see cref="RecordingTargetInvoker"/>: which target, what it was sent, and which attempt it was.</summary>
public sealed class RecordedTargetRequest
{
    private readonly Lazy<JsonNode?> _payload;

    /// <summary>Records a request.</summary>
    /// <param name="request">The request the invoker received.</param>
    /// <param name="sequence">The request's position among every request the invoker recorded, from 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public RecordedTargetRequest(TargetRequest request, int sequence)
    {
        ArgumentNullException.ThrowIfNull(request);
        Target = request.Target;
        Endpoint = request.Endpoint;
        Body = request.Payload.ToArray();
        DeliveryId = request.DeliveryId;
        Attempt = request.Attempt;
        IsSigned = request.SigningKey.Length > 0;
        Sequence = sequence;
        _payload = new Lazy<JsonNode?>(ParsePayload, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The target as it was defined when it was called.</summary>
    public Target Target { get; }

    /// <summary>The target's id.</summary>
    public string TargetId => Target.Id;

    /// <summary>The target's name.</summary>
    public string TargetName => Target.Name;

    /// <summary>The endpoint the request was for.</summary>
    public Uri Endpoint { get; }

    /// <summary>The exact payload bytes the target was sent.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// The payload, parsed: <c>Payload["request"]</c>, <c>Payload["response"]</c>, <c>Payload["event_type"]</c>… Parsed once; change a
    /// copy (<see cref="JsonNode.DeepClone"/>) rather than this node, which every reader shares.
    /// </summary>
    /// <exception cref="ActionExecAssertionException">The payload is not JSON (a target with a JWT or JWE payload type): read <see cref="Body"/>.</exception>
    public JsonNode? Payload => _payload.Value;

    /// <summary>The delivery id sent as <c>webhook-id</c>: one per target call in a flow, kept across the retries of a background delivery.</summary>
    public string DeliveryId { get; }

    /// <summary>The attempt number, from 1; above 1 for a retry of a background delivery.</summary>
    public int Attempt { get; }

    /// <summary>Whether the request carried a signing key (the target signs its requests).</summary>
    public bool IsSigned { get; }

    /// <summary>The request's position among every request the invoker recorded, from 1.</summary>
    public int Sequence { get; }

    /// <summary>Says which target, which attempt and which delivery, as assertion messages list requests.</summary>
    /// <returns>Such as <c>#2 audit (async, attempt 1, delivery 0193…)</c>.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"#{Sequence} {TargetName} ({Target.Type.ToString().ToLowerInvariant()}, attempt {Attempt}, delivery {DeliveryId})");

    private JsonNode? ParsePayload()
    {
        try
        {
            return JsonNode.Parse(Body.Span);
        }
        catch (JsonException e)
        {
            throw new ActionExecAssertionException(
                $"The payload sent to target '{TargetName}' is not JSON ({e.Message}); it starts with '{Start()}'. A target whose payload type is a JWT or a JWE is sent a token: read {nameof(Body)} instead.",
                e);
        }
    }

    private string Start()
    {
        var text = Encoding.UTF8.GetString(Body.Span[..Math.Min(Body.Length, 40)]);
        return Body.Length > 40 ? text + "…" : text;
    }
}
