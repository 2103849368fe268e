using System.Globalization;

namespace ActionExec.Soak;

/// <summary>The figures of one soak run and whether it passed.</summary>
internal sealed record SoakFigures
{
    /// <summary>Whether the run used the PostgreSQL store and queue.</summary>
    public bool Postgres { get; init; }

    public double Seconds { get; init; }

    public long Lookups { get; init; }

    public long Flows { get; init; }

    public long Mutations { get; init; }

    public long RejectedMutations { get; init; }

    public long Enqueued { get; init; }

    public long Delivered { get; init; }

    public long DeadLettered { get; init; }

    /// <summary>Of the dead-lettered deliveries, those given up for being older than the maximum age.</summary>
    public long Expired { get; init; }

    public long Rejected { get; init; }

    public long RefusedToCallers { get; init; }

    public long Mismatches { get; init; }

    public long Unhandled { get; init; }

    public long PeakWorkingSetBytes { get; init; }

    /// <summary>Deliveries that were queued but neither delivered nor dead-lettered, plus refusals the callers never heard of.</summary>
    public long Lost => Enqueued - Delivered - DeadLettered + Math.Abs(Rejected - RefusedToCallers);

    public bool Passed => Mismatches == 0 && Lost == 0 && Unhandled == 0;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"soak {(Postgres ? "--postgres " : string.Empty)}{Seconds:0.0} s: lookups/s={Lookups / Seconds:0} flows/s={Flows / Seconds:0} mutations={Mutations} (refused as invalid: {RejectedMutations}) deliveries enqueued={Enqueued} delivered={Delivered} dead-lettered={DeadLettered} (expired: {Expired}) rejected={Rejected} lost={Lost} mismatches={Mismatches} unhandled={Unhandled} peak-working-set={PeakWorkingSetBytes / (1024.0 * 1024.0):0} MiB => {(Passed ? "PASS" : "FAIL")}");
}
