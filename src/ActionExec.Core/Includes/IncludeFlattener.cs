using System.Collections.Immutable;
using ActionExec.Conditions;
using ActionExec.Executions;

namespace ActionExec.Includes;

/// <summary>
/// Resolves the includes of executions into ordered target lists (depth-first in list order, a target keeping its first position), once per execution. Not thread-safe:
/// one instance serves one snapshot compilation.
/// </summary>
/// <remarks>
/// Each execution is flattened once and its result reused by every execution that includes it, so flattening a
/// whole tenant costs the size of the output. The walk uses an explicit stack, so chains of any length are safe, and
/// it skips an include of an execution that is still being flattened, so even a cyclic graph from a damaged store
/// terminates (that include then contributes nothing).
/// </remarks>
internal sealed class IncludeFlattener
{
    private static readonly FlattenedEntries Nothing = new([], []);

    private readonly Func<string, ImmutableArray<ExecutionEntry>?> _entriesOf;
    private readonly Dictionary<string, FlattenedEntries> _done = new(StringComparer.Ordinal);

    /// <summary>Creates a flattener over a tenant's executions.</summary>
    /// <param name="entriesOf">The entries of an execution by id, or <see langword="null"/> when it does not exist.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entriesOf"/> is null.</exception>
    public IncludeFlattener(Func<string, ImmutableArray<ExecutionEntry>?> entriesOf)
    {
        ArgumentNullException.ThrowIfNull(entriesOf);
        _entriesOf = entriesOf;
    }

    /// <summary>
    /// Flattens an execution: depth-first in list order, every include replaced by the flattened targets of the
    /// included execution, every target kept at its first position only.
    /// </summary>
    /// <param name="executionId">The canonical id of the execution.</param>
    /// <returns>The targets in order and the includes that resolved to nothing; empty when the execution does not exist.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="executionId"/> is null.</exception>
    public FlattenedEntries Flatten(string executionId)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        if (_done.TryGetValue(executionId, out var known))
        {
            return known;
        }

        var inProgress = new HashSet<string>(StringComparer.Ordinal);
        var current = Open(executionId, inProgress);
        if (current is null)
        {
            return _done[executionId];
        }

        var stack = new Stack<Frame>();
        while (true)
        {
            if (current.Cursor < current.Entries.Length)
            {
                var entry = current.Entries[current.Cursor++];
                if (entry.Kind == ExecutionEntryKind.Target)
                {
                    current.AddTarget(entry.TargetId!);
                    continue;
                }

                var included = entry.Include!;
                if (_done.TryGetValue(included.Id, out var result))
                {
                    current.AddInclude(included, result);
                }
                else if (!inProgress.Contains(included.Id))
                {
                    var child = Open(included.Id, inProgress);
                    if (child is null)
                    {
                        current.AddInclude(included, _done[included.Id]);
                    }
                    else
                    {
                        current.Pending = included;
                        stack.Push(current);
                        current = child;
                    }
                }

                continue;
            }

            var finished = current.Close();
            _done.Add(current.Id, finished);
            inProgress.Remove(current.Id);
            if (stack.Count == 0)
            {
                return finished;
            }

            current = stack.Pop();
            current.AddInclude(current.Pending!, finished);
            current.Pending = null;
        }
    }

    /// <summary>Starts flattening an execution, or records the result at once when it has no entries.</summary>
    private Frame? Open(string id, HashSet<string> inProgress)
    {
        var entries = _entriesOf(id);
        if (entries is not { IsDefaultOrEmpty: false } list)
        {
            _done.Add(id, Nothing);
            return null;
        }

        inProgress.Add(id);
        return new Frame(id, list);
    }

    /// <summary>One execution being flattened: its entries, how far it got, and what it collected so far.</summary>
    private sealed class Frame(string id, ImmutableArray<ExecutionEntry> entries)
    {
        private readonly ImmutableArray<string>.Builder _targets = ImmutableArray.CreateBuilder<string>();
        private readonly HashSet<string> _seenTargets = new(StringComparer.Ordinal);
        private ImmutableArray<Condition>.Builder? _unresolved;
        private HashSet<string>? _seenUnresolved;

        public string Id { get; } = id;

        public ImmutableArray<ExecutionEntry> Entries { get; } = entries;

        public int Cursor { get; set; }

        /// <summary>The include whose execution is being flattened on top of this frame.</summary>
        public Condition? Pending { get; set; }

        public void AddTarget(string targetId)
        {
            if (_seenTargets.Add(targetId))
            {
                _targets.Add(targetId);
            }
        }

        public void AddInclude(Condition include, FlattenedEntries result)
        {
            foreach (var targetId in result.TargetIds)
            {
                AddTarget(targetId);
            }

            // The include itself comes before anything unresolved inside it: that is depth-first order of occurrence.
            if (result.TargetIds.IsEmpty)
            {
                AddUnresolved(include);
            }

            foreach (var inner in result.UnresolvedIncludes)
            {
                AddUnresolved(inner);
            }
        }

        public FlattenedEntries Close() => new(
            _targets.DrainToImmutable(),
            _unresolved is null ? [] : _unresolved.DrainToImmutable());

        private void AddUnresolved(Condition include)
        {
            _seenUnresolved ??= new HashSet<string>(StringComparer.Ordinal);
            if (_seenUnresolved.Add(include.Id))
            {
                (_unresolved ??= ImmutableArray.CreateBuilder<Condition>()).Add(include);
            }
        }
    }
}
