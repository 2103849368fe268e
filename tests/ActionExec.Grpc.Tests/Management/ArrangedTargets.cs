namespace ActionExec.Grpc.Tests.Management;

/// <summary>The targets every case starts with: <c>hook</c> and <c>other</c>, both webhooks.</summary>
public sealed record ArrangedTargets(string Hook, string Other)
{
    public string Fill(string text) => text.Replace("{hook}", Hook, StringComparison.Ordinal).Replace("{other}", Other, StringComparison.Ordinal);
}
