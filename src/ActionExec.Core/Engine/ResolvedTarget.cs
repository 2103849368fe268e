using System.Collections.Immutable;
using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Engine;

/// <summary>A target as it is invoked: its definition, its parsed endpoint and, internally, its signing key and public keys.</summary>
internal sealed class ResolvedTarget
{
    internal ResolvedTarget(StoredTarget stored)
    {
        Definition = stored.Target;
        SigningKey = stored.SigningKey;
        PublicKeys = stored.PublicKeys;
        Endpoint = new Uri(stored.Target.Endpoint, UriKind.Absolute);
    }

    /// <summary>A target a host describes itself, for a request it builds by hand.</summary>
    internal ResolvedTarget(Target definition, Uri endpoint, string signingKey)
    {
        Definition = definition;
        Endpoint = endpoint;
        SigningKey = signingKey;
    }

    /// <summary>The target definition.</summary>
    public Target Definition { get; }

    /// <summary>The endpoint, parsed once when the snapshot was compiled.</summary>
    public Uri Endpoint { get; }

    /// <summary>The target's id.</summary>
    public string Id => Definition.Id;

    /// <summary>The target's name.</summary>
    public string Name => Definition.Name;

    internal string SigningKey { get; }

    /// <summary>The target's public keys, oldest first; empty for a target a host describes itself.</summary>
    internal ImmutableArray<TargetPublicKey> PublicKeys { get; } = [];

    /// <summary>The target as a store keeps it: what a change to it starts from.</summary>
    internal StoredTarget ToStored() => new(Definition, SigningKey) { PublicKeys = PublicKeys };

    /// <summary>
    /// The key payloads to this target are encrypted to at <paramref name="now"/>: the active key unless it has expired;
    /// <see langword="null"/> when there is none. No lookup: the keys are part of the snapshot.
    /// </summary>
    /// <param name="now">The time, from the host's <see cref="TimeProvider"/>.</param>
    internal TargetPublicKey? ActivePublicKeyAt(DateTimeOffset now)
    {
        foreach (var key in PublicKeys)
        {
            if (key.IsActiveAt(now))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Returns the target's id and name; never the key.</summary>
    /// <returns>A readable form without secrets.</returns>
    public override string ToString() => $"{Definition.Name} ({Definition.Id})";
}
