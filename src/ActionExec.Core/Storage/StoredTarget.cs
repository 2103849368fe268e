using ActionExec.Targets;

namespace ActionExec.Storage;

/// <summary>A target as a store keeps it: the definition and its signing key.</summary>
/// <param name="Target">The target definition.</param>
/// <param name="SigningKey">The signing key. Stores must protect it as a secret; it is never returned by get or list.</param>
public sealed record StoredTarget(Target Target, string SigningKey)
{
    /// <summary>Returns the target's id and name; never the key.</summary>
    /// <returns>A readable form without secrets.</returns>
    public override string ToString() => $"StoredTarget {{ Id = {Target.Id}, Name = {Target.Name} }}";
}
