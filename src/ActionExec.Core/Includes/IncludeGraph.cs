using System.Collections.Immutable;

namespace ActionExec.Includes;

/// <summary>
/// Checks the include graph of a tenant when an execution is set: it must be acyclic, and no include chain, starting from any
/// execution, may have more hops than the maximum.
/// </summary>
internal static class IncludeGraph
{
    private const byte Unvisited = 0;
    private const byte OnPath = 1;
    private const byte Done = 2;

    /// <summary>Finds the first cycle or too deep include chain of a graph, or returns <see langword="null"/> when there is none.</summary>
    /// <param name="includes">
    /// Each execution id mapped to the ids it includes, in list order. Ids that are not keys are leaves: they have no
    /// includes, or do not exist, which counts the same.
    /// </param>
    /// <param name="maxDepth">The largest number of include hops allowed (<c>a -> b -> c</c> has 2).</param>
    /// <param name="startAt">The execution searched first, usually the one being changed; may be null or a leaf.</param>
    /// <returns>
    /// <see langword="null"/> when the graph is acceptable. Otherwise a cycle when there is any cycle at all (even if
    /// a too deep chain exists too), else the longest chain from the first execution, in search order, whose chain is
    /// too deep. The search order is <paramref name="startAt"/>, then the other keys in ordinal order; children are
    /// visited in list order, so the answer depends only on the graph, not on the dictionary's enumeration order.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="includes"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is negative.</exception>
    /// <remarks>
    /// One iterative depth-first pass with memoised heights: linear in nodes and edges after the ordinal sort of the
    /// keys, and independent of the call stack, so graphs of any size are safe.
    /// </remarks>
    public static IncludeProblem? Check(IReadOnlyDictionary<string, ImmutableArray<string>> includes, int maxDepth, string? startAt = null)
    {
        ArgumentNullException.ThrowIfNull(includes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);

        var keys = new string[includes.Count];
        var k = 0;
        foreach (var key in includes.Keys)
        {
            keys[k++] = key;
        }

        Array.Sort(keys, StringComparer.Ordinal);

        var index = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
        var ids = new List<string>(keys.Length);
        int IndexOf(string id)
        {
            if (!index.TryGetValue(id, out var i))
            {
                i = ids.Count;
                index.Add(id, i);
                ids.Add(id);
            }

            return i;
        }

        foreach (var key in keys)
        {
            IndexOf(key);
        }

        var children = new int[keys.Length][];
        for (var i = 0; i < keys.Length; i++)
        {
            var list = includes[keys[i]];
            var row = list.IsDefaultOrEmpty ? [] : new int[list.Length];
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = IndexOf(list[j]);
            }

            children[i] = row;
        }

        var order = new List<int>(keys.Length + 1);
        if (startAt is not null)
        {
            order.Add(IndexOf(startAt));
        }

        for (var i = 0; i < keys.Length; i++)
        {
            order.Add(i);
        }

        var walk = new Walk(ids, children, keys.Length);
        foreach (var root in order)
        {
            if (walk.Visit(root) is { } cycle)
            {
                return new IncludeProblem(IncludeProblemKind.Cycle, cycle, cycle.Length - 1, maxDepth);
            }
        }

        foreach (var root in order)
        {
            if (walk.Height(root) > maxDepth)
            {
                var path = walk.LongestChain(root);
                return new IncludeProblem(IncludeProblemKind.Depth, path, path.Length - 1, maxDepth);
            }
        }

        return null;
    }

    /// <summary>The state of one depth-first search over the whole graph, with an explicit stack instead of recursion.</summary>
    private sealed class Walk
    {
        private readonly List<string> _ids;
        private readonly int[][] _children;
        private readonly int _keyCount;
        private readonly byte[] _state;
        private readonly int[] _height;
        private readonly int[] _next;
        private readonly int[] _stack;
        private readonly int[] _cursor;
        private readonly int[] _stackPosition;

        public Walk(List<string> ids, int[][] children, int keyCount)
        {
            _ids = ids;
            _children = children;
            _keyCount = keyCount;
            var n = ids.Count;
            _state = new byte[n];
            _height = new int[n];
            _next = new int[n];
            Array.Fill(_next, -1);
            _stack = new int[n];
            _cursor = new int[n];
            _stackPosition = new int[n];
        }

        public int Height(int node) => _height[node];

        /// <summary>Computes the heights of everything reachable from <paramref name="root"/>; returns the first cycle met.</summary>
        public ImmutableArray<string>? Visit(int root)
        {
            if (_state[root] != Unvisited)
            {
                return null;
            }

            var depth = 0;
            Push(root, ref depth);
            while (depth > 0)
            {
                var top = _stack[depth - 1];
                var row = ChildrenOf(top);
                if (_cursor[depth - 1] < row.Length)
                {
                    var child = row[_cursor[depth - 1]++];
                    switch (_state[child])
                    {
                        case Unvisited:
                            Push(child, ref depth);
                            break;
                        case OnPath:
                            return ClosedPath(_stackPosition[child], depth, child);
                        default:
                            Raise(top, child);
                            break;
                    }

                    continue;
                }

                _state[top] = Done;
                depth--;
                if (depth > 0)
                {
                    Raise(_stack[depth - 1], top);
                }
            }

            return null;
        }

        /// <summary>The chain from <paramref name="root"/> along the first child of greatest height at every step.</summary>
        public ImmutableArray<string> LongestChain(int root)
        {
            var path = ImmutableArray.CreateBuilder<string>(_height[root] + 1);
            for (var node = root; node >= 0; node = _next[node])
            {
                path.Add(_ids[node]);
            }

            return path.MoveToImmutable();
        }

        private int[] ChildrenOf(int node) => node < _keyCount ? _children[node] : [];

        private void Push(int node, ref int depth)
        {
            _state[node] = OnPath;
            _stack[depth] = node;
            _cursor[depth] = 0;
            _stackPosition[node] = depth;
            depth++;
        }

        // Strictly greater keeps the first child of greatest height, so the reported chain follows list order.
        private void Raise(int parent, int child)
        {
            if (_height[child] + 1 > _height[parent])
            {
                _height[parent] = _height[child] + 1;
                _next[parent] = child;
            }
        }

        private ImmutableArray<string> ClosedPath(int from, int depth, int closing)
        {
            var path = ImmutableArray.CreateBuilder<string>(depth - from + 1);
            for (var i = from; i < depth; i++)
            {
                path.Add(_ids[_stack[i]]);
            }

            path.Add(_ids[closing]);
            return path.MoveToImmutable();
        }
    }
}
