namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The type of a target in the wire format, under <c>restWebhook</c>, <c>restCall</c> or <c>restAsync</c>:
/// <c>{"interruptOnError": true}</c>, or <c>{}</c>.
/// </summary>
internal sealed record RestTargetJson
{
    /// <summary>Whether a failure stops the flow; webhook and call targets only (an async target rejects <see langword="true"/>).</summary>
    public bool? InterruptOnError { get; init; }
}
