using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Includes;
using ActionExec.Matching;
using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Engine;

/// <summary>
/// Everything a lookup needs for one tenant, compiled once and never changed after publication: the targets,
/// the executions, their flattened target lists and the condition matcher. A change produces a new snapshot
/// that shares what the change did not touch; readers holding the old one are unaffected.
/// </summary>
internal sealed class ActionSnapshot
{
    private readonly ImmutableDictionary<string, ResolvedTarget> _targets;
    private readonly ImmutableDictionary<string, string> _targetIdsByName;
    private readonly ImmutableDictionary<string, Execution> _executions;
    private readonly ImmutableHashSet<string> _withIncludes;
    private readonly Condition[] _conditions;
    private readonly Dictionary<string, int> _indexById;
    private readonly ConditionMatcher _matcher;
    private readonly MatchedExecution[] _compiled;

    private ActionSnapshot(
        string tenantId,
        ulong sequence,
        MatchPolicy policy,
        ImmutableDictionary<string, ResolvedTarget> targets,
        ImmutableDictionary<string, string> targetIdsByName,
        ImmutableDictionary<string, Execution> executions,
        ImmutableHashSet<string> withIncludes,
        ActionSnapshot? previous,
        bool conditionsChanged,
        IReadOnlySet<string>? recompile)
    {
        TenantId = tenantId;
        Sequence = sequence;
        Policy = policy;
        _targets = targets;
        _targetIdsByName = targetIdsByName;
        _executions = executions;
        _withIncludes = withIncludes;

        if (previous is null || conditionsChanged)
        {
            _conditions = new Condition[executions.Count];
            _indexById = new Dictionary<string, int>(executions.Count, StringComparer.Ordinal);
            var i = 0;
            foreach (var execution in executions.Values)
            {
                _indexById.Add(execution.Id, i);
                _conditions[i++] = execution.Condition;
            }

            _matcher = ConditionMatcher.Build(_conditions);
        }
        else
        {
            _conditions = previous._conditions;
            _indexById = previous._indexById;
            _matcher = previous._matcher;
        }

        var flattener = new IncludeFlattener(id => _executions.TryGetValue(id, out var e) ? e.Entries : null);
        if (previous is not null && !conditionsChanged && recompile is not null)
        {
            // Same conditions at the same positions: copy the compiled list and replace only what the change reaches.
            _compiled = (MatchedExecution[])previous._compiled.Clone();
            foreach (var id in recompile)
            {
                if (_indexById.TryGetValue(id, out var index))
                {
                    _compiled[index] = Compile(_executions[id], flattener);
                }
            }
        }
        else
        {
            _compiled = new MatchedExecution[_conditions.Length];
            for (var i = 0; i < _conditions.Length; i++)
            {
                var id = _conditions[i].Id;
                _compiled[i] = previous is not null && recompile is not null && !recompile.Contains(id) && previous._indexById.TryGetValue(id, out var before)
                    ? previous._compiled[before]
                    : Compile(_executions[id], flattener);
            }
        }
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>The tenant's sequence this snapshot reflects.</summary>
    public ulong Sequence { get; }

    /// <summary>The match policy compiled into <see cref="MatchedExecution.Targets"/>.</summary>
    public MatchPolicy Policy { get; }

    /// <summary>The number of targets.</summary>
    public int TargetCount => _targets.Count;

    /// <summary>The number of executions.</summary>
    public int ExecutionCount => _conditions.Length;

    /// <summary>The targets of the tenant (definitions only; never a key), in no particular order.</summary>
    public IEnumerable<Target> Targets => _targets.Values.Select(static t => t.Definition);

    /// <summary>The executions of the tenant, in no particular order.</summary>
    public IEnumerable<Execution> Executions => _executions.Values;

    /// <summary>
    /// Finds the execution that applies to a call: the single best match (or, under
    /// <see cref="MatchPolicy.Cascade"/>, the most specific match carrying every level's targets). Allocates nothing;
    /// costs the length of <paramref name="value"/>, whatever the number of executions.
    /// </summary>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">A full method (<c>/pkg.v1.Service/Method</c>, the leading <c>/</c> optional), an event type or a function name.</param>
    /// <returns>The matched execution, or <see langword="null"/> when none applies.</returns>
    public MatchedExecution? Match(ConditionKind kind, ReadOnlySpan<char> value)
    {
        var index = _matcher.Match(kind, value);
        return index < 0 ? null : _compiled[index];
    }

    /// <summary>Gets the compiled execution of exactly one condition (no fallback).</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="execution">The compiled execution, when it exists.</param>
    /// <returns><see langword="true"/> when the tenant has an execution for <paramref name="condition"/>.</returns>
    public bool TryGetCompiled(Condition condition, [NotNullWhen(true)] out MatchedExecution? execution)
    {
        ArgumentNullException.ThrowIfNull(condition);
        execution = _indexById.TryGetValue(condition.Id, out var i) ? _compiled[i] : null;
        return execution is not null;
    }

    /// <summary>Gets a target by id.</summary>
    /// <param name="id">The target id.</param>
    /// <param name="target">The target, when it exists.</param>
    /// <returns><see langword="true"/> when the target exists.</returns>
    public bool TryGetTarget(string id, [NotNullWhen(true)] out Target? target)
    {
        ArgumentNullException.ThrowIfNull(id);
        target = _targets.TryGetValue(id, out var resolved) ? resolved.Definition : null;
        return target is not null;
    }

    /// <summary>Gets an execution by condition.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="execution">The execution, when it exists.</param>
    /// <returns><see langword="true"/> when the execution exists.</returns>
    public bool TryGetExecution(Condition condition, [NotNullWhen(true)] out Execution? execution)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return _executions.TryGetValue(condition.Id, out execution);
    }

    /// <summary>Explains which execution a call matches and why.</summary>
    /// <param name="kind">The kind of call.</param>
    /// <param name="value">A full method, an event type or a function name.</param>
    /// <returns>The explanation.</returns>
    public ExecutionExplanation Explain(ConditionKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var candidates = ConditionCandidates.Of(kind, value)
            .Select(id => new ExplainedCandidate(id, _indexById.ContainsKey(id)))
            .ToImmutableArray();
        var matched = Match(kind, value);
        if (matched is null)
        {
            return new ExecutionExplanation
            {
                Kind = kind,
                Value = value,
                Policy = Policy,
                Candidates = candidates,
                Reason = candidates.IsEmpty
                    ? $"No execution matches: '{value}' is not a valid {ConditionRules.Name(kind)} value."
                    : $"No execution matches: none of {string.Join(", ", candidates.Select(c => $"'{c.ConditionId}'"))} exists.",
            };
        }

        var skipped = candidates.TakeWhile(c => !string.Equals(c.ConditionId, matched.Condition.Id, StringComparison.Ordinal)).Select(c => $"'{c.ConditionId}'").ToList();
        var level = matched.Level == ConditionScope.All ? $"all-{ConditionRules.Name(kind)}s" : ConditionRules.Name(matched.Level);
        return new ExecutionExplanation
        {
            Kind = kind,
            Value = value,
            Policy = Policy,
            Candidates = candidates,
            Matched = matched.Condition,
            Level = matched.Level,
            Reason = skipped.Count == 0
                ? $"Matched the {level} execution '{matched.Condition.Id}' exactly."
                : $"Matched the {level} execution '{matched.Condition.Id}', because no execution exists for {string.Join(" or ", skipped)}.",
            Cascade = matched.Cascade,
            Targets = [.. matched.Targets.Select(static t => t.Definition)],
            UnresolvedIncludes = matched.UnresolvedIncludes,
        };
    }

    /// <summary>Compiles a snapshot of a whole tenant.</summary>
    internal static ActionSnapshot Create(TenantState state, MatchPolicy policy)
    {
        var targets = ImmutableDictionary.CreateBuilder<string, ResolvedTarget>(StringComparer.Ordinal);
        var names = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var stored in state.Targets)
        {
            targets[stored.Target.Id] = new ResolvedTarget(stored);
            names[stored.Target.Name] = stored.Target.Id;
        }

        var executions = ImmutableDictionary.CreateBuilder<string, Execution>(StringComparer.Ordinal);
        var withIncludes = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var execution in state.Executions)
        {
            executions[execution.Id] = execution;
            if (HasIncludes(execution.Entries))
            {
                withIncludes.Add(execution.Id);
            }
        }

        return new ActionSnapshot(
            state.TenantId,
            state.Sequence,
            policy,
            targets.ToImmutable(),
            names.ToImmutable(),
            executions.ToImmutable(),
            withIncludes.ToImmutable(),
            previous: null,
            conditionsChanged: true,
            recompile: null);
    }

    /// <summary>
    /// Returns the snapshot after <paramref name="change"/>. Reuses the matcher when no execution was added or
    /// removed, and the compiled executions the change cannot affect.
    /// </summary>
    internal ActionSnapshot Apply(TenantChange change)
    {
        var targets = _targets;
        var names = _targetIdsByName;
        foreach (var id in change.DeletedTargetIds)
        {
            if (targets.TryGetValue(id, out var old))
            {
                names = names.Remove(old.Name);
                targets = targets.Remove(id);
            }
        }

        foreach (var stored in change.UpsertedTargets)
        {
            if (targets.TryGetValue(stored.Target.Id, out var old))
            {
                names = names.Remove(old.Name);
            }

            targets = targets.SetItem(stored.Target.Id, new ResolvedTarget(stored));
            names = names.SetItem(stored.Target.Name, stored.Target.Id);
        }

        var executions = _executions;
        var withIncludes = _withIncludes;
        var conditionsChanged = false;
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var condition in change.DeletedExecutions)
        {
            conditionsChanged |= executions.ContainsKey(condition.Id);
            executions = executions.Remove(condition.Id);
            withIncludes = withIncludes.Remove(condition.Id);
            changed.Add(condition.Id);
        }

        foreach (var execution in change.UpsertedExecutions)
        {
            conditionsChanged |= !executions.ContainsKey(execution.Id);
            executions = executions.SetItem(execution.Id, execution);
            withIncludes = HasIncludes(execution.Entries) ? withIncludes.Add(execution.Id) : withIncludes.Remove(execution.Id);
            changed.Add(execution.Id);
        }

        // A changed target can sit in any flattened list, and under Cascade a changed execution joins the lists of
        // every more specific one: recompile everything. Otherwise only the changed executions and those whose
        // include trees contain them.
        IReadOnlySet<string>? recompile = null;
        if (change.UpsertedTargets.IsEmpty && change.DeletedTargetIds.IsEmpty && Policy == MatchPolicy.BestMatch)
        {
            AddIncluders(changed, withIncludes, executions);
            recompile = changed;
        }

        return new ActionSnapshot(TenantId, change.Sequence, Policy, targets, names, executions, withIncludes, this, conditionsChanged, recompile);
    }

    /// <summary>The include edges of every execution that has includes, with <paramref name="changed"/> given <paramref name="entries"/>.</summary>
    internal Dictionary<string, ImmutableArray<string>> IncludeGraphWith(Condition changed, ImmutableArray<ExecutionEntry> entries)
    {
        var graph = new Dictionary<string, ImmutableArray<string>>(_withIncludes.Count + 1, StringComparer.Ordinal);
        foreach (var id in _withIncludes)
        {
            graph[id] = IncludesOf(_executions[id].Entries);
        }

        graph[changed.Id] = IncludesOf(entries);
        return graph;
    }

    internal bool TryGetResolvedTarget(string id, [NotNullWhen(true)] out ResolvedTarget? target) => _targets.TryGetValue(id, out target);

    internal bool TryGetTargetIdByName(string name, [NotNullWhen(true)] out string? id) => _targetIdsByName.TryGetValue(name, out id);

    /// <summary>
    /// Adds to <paramref name="affected"/> every execution whose include tree reaches one already in it. Only executions
    /// with includes can, and chains are short (at most the include depth), so this settles in a few passes.
    /// </summary>
    private static void AddIncluders(HashSet<string> affected, ImmutableHashSet<string> withIncludes, ImmutableDictionary<string, Execution> executions)
    {
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var id in withIncludes)
            {
                if (affected.Contains(id))
                {
                    continue;
                }

                foreach (var entry in executions[id].Entries)
                {
                    if (entry.Kind == ExecutionEntryKind.Include && affected.Contains(entry.Include!.Id))
                    {
                        grew |= affected.Add(id);
                        break;
                    }
                }
            }
        }
    }

    private static bool HasIncludes(ImmutableArray<ExecutionEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Kind == ExecutionEntryKind.Include)
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<string> IncludesOf(ImmutableArray<ExecutionEntry> entries)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var entry in entries)
        {
            if (entry.Kind == ExecutionEntryKind.Include)
            {
                result.Add(entry.Include!.Id);
            }
        }

        return result.DrainToImmutable();
    }

    private MatchedExecution Compile(Execution execution, IncludeFlattener flattener)
    {
        var own = flattener.Flatten(execution.Id);
        var ownTargets = Resolve(own.TargetIds);
        var chain = Policy == MatchPolicy.Cascade ? CascadeChain(execution.Condition) : [execution.Condition];
        if (chain.Length == 1)
        {
            return new MatchedExecution(execution, ownTargets, ownTargets, own.UnresolvedIncludes, chain);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var targets = ImmutableArray.CreateBuilder<ResolvedTarget>();
        var unresolved = ImmutableArray.CreateBuilder<Condition>();
        foreach (var level in chain)
        {
            var flat = flattener.Flatten(level.Id);
            foreach (var target in Resolve(flat.TargetIds))
            {
                if (seen.Add(target.Id))
                {
                    targets.Add(target);
                }
            }

            foreach (var include in flat.UnresolvedIncludes)
            {
                if (!unresolved.Contains(include))
                {
                    unresolved.Add(include);
                }
            }
        }

        return new MatchedExecution(execution, targets.DrainToImmutable(), ownTargets, unresolved.DrainToImmutable(), chain);
    }

    private ImmutableArray<ResolvedTarget> Resolve(ImmutableArray<string> targetIds)
    {
        var result = ImmutableArray.CreateBuilder<ResolvedTarget>(targetIds.Length);
        foreach (var id in targetIds)
        {
            // Deleting a target removes it from every execution; a store written by someone else may still hold one.
            if (_targets.TryGetValue(id, out var target))
            {
                result.Add(target);
            }
        }

        return result.DrainToImmutable();
    }

    /// <summary>The existing conditions a call on <paramref name="condition"/> cascades through, general to specific.</summary>
    private ImmutableArray<Condition> CascadeChain(Condition condition)
    {
        var levels = ConditionCandidates.Through(condition);
        var chain = ImmutableArray.CreateBuilder<Condition>(levels.Count);
        for (var i = levels.Count - 1; i > 0; i--)
        {
            if (_executions.TryGetValue(levels[i], out var execution))
            {
                chain.Add(execution.Condition);
            }
        }

        chain.Add(condition);
        return chain.DrainToImmutable();
    }
}
