using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Engine;

/// <summary>A target as it is invoked: its definition, its parsed endpoint and, internally, its signing key.</summary>
internal sealed class ResolvedTarget
{
    internal ResolvedTarget(StoredTarget stored)
    {
        Definition = stored.Target;
        SigningKey = stored.SigningKey;
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

    /// <summary>Returns the target's id and name; never the key.</summary>
    /// <returns>A readable form without secrets.</returns>
    public override string ToString() => $"{Definition.Name} ({Definition.Id})";
}
