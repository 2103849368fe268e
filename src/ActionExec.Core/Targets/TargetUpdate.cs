namespace ActionExec.Targets;

/// <summary>A partial change of a target: every property left <see langword="null"/> keeps its stored value.</summary>
public sealed record TargetUpdate
{
    /// <summary>A new name, unique within the tenant.</summary>
    public string? Name { get; init; }

    /// <summary>A new endpoint.</summary>
    public string? Endpoint { get; init; }

    /// <summary>A new type.</summary>
    public TargetType? Type { get; init; }

    /// <summary>A new timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A new error policy.</summary>
    public bool? InterruptOnError { get; init; }

    /// <summary>A new payload type.</summary>
    public PayloadType? PayloadType { get; init; }

    /// <summary>A new signature scheme; the key is kept.</summary>
    public SignatureScheme? SignatureScheme { get; init; }

    /// <summary>Applies the change to <paramref name="spec"/>.</summary>
    /// <param name="spec">The current values.</param>
    /// <returns>The values after the change.</returns>
    public TargetSpec ApplyTo(TargetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with
        {
            Name = Name ?? spec.Name,
            Endpoint = Endpoint ?? spec.Endpoint,
            Type = Type ?? spec.Type,
            Timeout = Timeout ?? spec.Timeout,
            InterruptOnError = InterruptOnError ?? spec.InterruptOnError,
            PayloadType = PayloadType ?? spec.PayloadType,
            SignatureScheme = SignatureScheme ?? spec.SignatureScheme,
        };
    }
}
