using System.Collections.Immutable;

namespace ActionExec.Includes;

/// <summary>
/// A reason the include graph of a tenant is rejected (a cycle, or a chain deeper than the limit), with the path of execution ids that proves it.
/// </summary>
/// <param name="Kind">A cycle or a chain that is too deep.</param>
/// <param name="Path">
/// The execution ids along the offending path: for a cycle it closes on its first id
/// (<c>request/a, request/b, request/a</c>); for depth it is the longest chain from its first id.
/// </param>
/// <param name="Depth">The number of include hops along <paramref name="Path"/> (its length minus one).</param>
/// <param name="MaxDepth">The maximum the graph was checked against; part of the depth message.</param>
internal sealed record IncludeProblem(IncludeProblemKind Kind, ImmutableArray<string> Path, int Depth, int MaxDepth)
{
    /// <summary>
    /// The message naming the path, such as <c>include cycle: request/a -> request/b -> request/a</c> or
    /// <c>include depth 3 exceeds 2: event -> request/a -> request/b -> request/c</c>.
    /// </summary>
    public string Message => Kind == IncludeProblemKind.Cycle
        ? "include cycle: " + string.Join(" -> ", Path)
        : $"include depth {Depth} exceeds {MaxDepth}: " + string.Join(" -> ", Path);
}
