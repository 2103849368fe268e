namespace ActionExec.Tests.Reliability;

/// <summary>
/// The load tests: each runs alone, after the others, so that it neither slows the rest of the suite down nor is slowed by it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
