using ActionExec.Targets;

namespace ActionExec.Management;

/// <summary>A target with its signing key: returned only when a target is created or its key rotated.</summary>
/// <param name="Target">The target.</param>
/// <param name="SigningKey">The signing key. Give it to the receiver; it is never returned again.</param>
public sealed record CreatedTarget(Target Target, string SigningKey)
{
    /// <summary>Returns the target's id and name; never the key.</summary>
    /// <returns>A readable form without secrets.</returns>
    public override string ToString() => $"CreatedTarget {{ Id = {Target.Id}, Name = {Target.Name} }}";
}
