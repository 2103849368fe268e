namespace ActionExec.AspNetCore.Receiving;

/// <summary>The names given to <c>AddActionReceiver</c>, so that an endpoint naming another one fails when it is built.</summary>
internal sealed class ActionReceiverNames
{
    /// <summary>The named <see cref="HttpClient"/> that fetches senders' key sets; a host configures it like any named client.</summary>
    public const string JwksClientName = "ActionExec.Receiver.Jwks";

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}
