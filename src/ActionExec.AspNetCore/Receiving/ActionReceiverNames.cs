namespace ActionExec.AspNetCore.Receiving;

/// <summary>The names given to <c>AddActionReceiver</c>, so that an endpoint naming another one fails when it is built.</summary>
internal sealed class ActionReceiverNames
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}
