using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ActionExec.Dispatch;

/// <summary>The invokers by endpoint scheme (case-insensitive). Built once from the registered invokers.</summary>
internal sealed class TargetInvokerRegistry
{
    private readonly FrozenDictionary<string, ITargetInvoker> _invokers;

    /// <summary>Creates the registry.</summary>
    /// <param name="invokers">The invokers and the schemes they claim; a later claim of the same scheme wins.</param>
    public TargetInvokerRegistry(IEnumerable<KeyValuePair<string, ITargetInvoker>> invokers)
    {
        ArgumentNullException.ThrowIfNull(invokers);
        var map = new Dictionary<string, ITargetInvoker>(StringComparer.OrdinalIgnoreCase);
        foreach (var (scheme, invoker) in invokers)
        {
            if (string.IsNullOrEmpty(scheme) || invoker is null)
            {
                throw new ArgumentException("Every invoker needs a scheme and an instance.", nameof(invokers));
            }

            map[scheme] = invoker;
        }

        _invokers = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Schemes = _invokers.Keys.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The schemes some invoker claims; a target's endpoint must use one of them.</summary>
    public IReadOnlySet<string> Schemes { get; }

    /// <summary>Gets the invoker for a scheme.</summary>
    /// <param name="scheme">The endpoint's scheme.</param>
    /// <param name="invoker">The invoker, when one claims the scheme.</param>
    /// <returns><see langword="true"/> when an invoker claims the scheme.</returns>
    public bool TryGet(string scheme, [NotNullWhen(true)] out ITargetInvoker? invoker) => _invokers.TryGetValue(scheme, out invoker);
}
