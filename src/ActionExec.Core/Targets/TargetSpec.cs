namespace ActionExec.Targets;

/// <summary>The input that creates a target. Validated by the management service, which lists every violation.</summary>
public sealed record TargetSpec
{
    /// <summary>The name: 1 to 1000 characters, unique within the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>The absolute endpoint URI, at most 2048 characters.</summary>
    public required string Endpoint { get; init; }

    /// <summary>How the target is called.</summary>
    public required TargetType Type { get; init; }

    /// <summary>How long one attempt may take: greater than zero and at most the configured maximum (270 s by default).</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Whether a failure stops the flow; not allowed on <see cref="TargetType.Async"/> targets.</summary>
    public bool InterruptOnError { get; init; }

    /// <summary>How the payload is encoded.</summary>
    public PayloadType PayloadType { get; init; } = PayloadType.Json;

    /// <summary>How requests are signed.</summary>
    public SignatureScheme SignatureScheme { get; init; } = SignatureScheme.Zitadel;
}
