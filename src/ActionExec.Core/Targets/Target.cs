namespace ActionExec.Targets;

/// <summary>
/// What is called: a named endpoint with a type, a timeout and an error policy. Immutable. The signing key
/// is deliberately not part of this type: it is returned only when a target is created or its key rotated.
/// </summary>
public sealed record Target
{
    /// <summary>The generated, opaque, URL-safe id.</summary>
    public required string Id { get; init; }

    /// <summary>The name, unique within the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>The absolute endpoint URI, as given (for HTTP targets an <c>http</c> or <c>https</c> URI).</summary>
    public required string Endpoint { get; init; }

    /// <summary>How the target is called.</summary>
    public required TargetType Type { get; init; }

    /// <summary>How long one attempt may take, body included.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Whether a failure stops the flow (webhook and call targets only).</summary>
    public bool InterruptOnError { get; init; }

    /// <summary>Whether a failure of this target ends its flow or the rest of its delivery: an async target never stops anything.</summary>
    internal bool InterruptsFlow => InterruptOnError && Type != TargetType.Async;

    /// <summary>How the payload is encoded.</summary>
    public PayloadType PayloadType { get; init; } = PayloadType.Json;

    /// <summary>How requests are signed.</summary>
    public SignatureScheme SignatureScheme { get; init; } = SignatureScheme.Zitadel;

    /// <summary>When the target was created.</summary>
    public DateTimeOffset CreationDate { get; init; }

    /// <summary>When the target was last changed (created, updated or its key rotated).</summary>
    public DateTimeOffset ChangeDate { get; init; }

    /// <summary>The sequence of the tenant at the target's last change.</summary>
    public ulong Sequence { get; init; }
}
