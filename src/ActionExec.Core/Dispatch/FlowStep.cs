using ActionExec.Engine;

namespace ActionExec.Dispatch;

/// <summary>What <see cref="IFlowSteps.ResolveAsync"/> found at a position: a target to run, nothing (skip it), or the end of the flow.</summary>
internal readonly struct FlowStep
{
    private FlowStep(ResolvedTarget? target, bool ends)
    {
        Target = target;
        Ends = ends;
    }

    /// <summary>Nothing to run at this position (a target deleted since the delivery was queued): go on with the next.</summary>
    public static FlowStep Skip => default;

    /// <summary>The steps have ended the flow themselves (a delivery given up as too old): run nothing more.</summary>
    public static FlowStep End => new(null, ends: true);

    /// <summary>The target to run, or <see langword="null"/>.</summary>
    public ResolvedTarget? Target { get; }

    /// <summary>Whether the flow ends here.</summary>
    public bool Ends { get; }

    /// <summary>Runs <paramref name="target"/>.</summary>
    public static FlowStep Run(ResolvedTarget target) => new(target, ends: false);
}
