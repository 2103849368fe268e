namespace ActionExec.Benchmarks.Matching;

/// <summary>The questions the matcher benchmarks ask, from the cheapest answer to the one with the longest fallback.</summary>
public enum MatchCase
{
    /// <summary>A request for a method that is configured exactly.</summary>
    ExactMethod,

    /// <summary>A request for a method that is not configured, of a service that is.</summary>
    ServiceFallback,

    /// <summary>A request for a method of a service that is not configured: only <c>all</c> requests applies.</summary>
    AllFallback,

    /// <summary>An event whose type is configured exactly.</summary>
    ExactEvent,

    /// <summary>An event whose best match is a group two segments above it.</summary>
    EventGroup,
}
