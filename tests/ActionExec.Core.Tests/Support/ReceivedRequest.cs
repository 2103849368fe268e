using System.Text.Json.Nodes;

namespace ActionExec.Tests.Support;

/// <summary>A request as the <see cref="LoopbackReceiver"/> received it.</summary>
/// <param name="Sequence">Its position among every request the receiver got, from 1.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, such as <c>/hook</c>.</param>
/// <param name="Headers">The headers by name (case-insensitive).</param>
/// <param name="Body">The exact body bytes.</param>
public sealed record ReceivedRequest(int Sequence, string Method, string Path, IReadOnlyDictionary<string, string[]> Headers, byte[] Body)
{
    /// <summary>The values of a header joined with a comma, or null when it was not sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The body parsed as a JSON object.</summary>
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
