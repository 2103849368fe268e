namespace ActionExec.Includes;

/// <summary>Why an include graph is rejected.</summary>
internal enum IncludeProblemKind
{
    /// <summary>An execution includes itself, directly or through others.</summary>
    Cycle,

    /// <summary>An include chain has more hops than the configured maximum.</summary>
    Depth,
}
