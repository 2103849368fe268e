using ActionExec.Engine;

namespace ActionExec.Dispatch;

/// <summary>
/// What differs between the flows <see cref="FlowRunner"/> runs: where a position's target comes from, the payload, how a target
/// is run (called, queued, or called with retries), how a call target's answer is merged into the message, and what an
/// interrupting failure does.
/// </summary>
/// <remarks>The dispatcher implements it with structs, so the runner's calls are not virtual and a flow allocates no strategy object.</remarks>
internal interface IFlowSteps
{
    /// <summary>Looks up the target at <paramref name="position"/> for this step.</summary>
    /// <param name="position">The position in the flow's list of targets.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The target to run, <see cref="FlowStep.Skip"/> or <see cref="FlowStep.End"/>.</returns>
    ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken);

    /// <summary>Writes the payload for the message as it is now; asked again only after a call target changed the message.</summary>
    /// <returns>The exact payload bytes.</returns>
    ReadOnlyMemory<byte> WritePayload();

    /// <summary>Runs the target at <paramref name="position"/>: calls it, or queues it.</summary>
    /// <param name="target">The target.</param>
    /// <param name="position">Its position in the flattened list.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The outcome; a queued target is a success without a body; <see cref="AttemptOutcome.EndsFlow"/> stops the flow here.</returns>
    ValueTask<AttemptOutcome> RunAsync(ResolvedTarget target, int position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Merges a call target's JSON answer into the message.</summary>
    /// <param name="target">The target that answered.</param>
    /// <param name="answer">Its answer, already checked to be JSON.</param>
    /// <returns><see langword="null"/> when merged; otherwise why the answer cannot be used (then it counts as a failure).</returns>
    string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer);

    /// <summary>An interrupting target failed: the flow ends here (a host flow throws, the console records it).</summary>
    /// <param name="position">The failed target's position.</param>
    /// <param name="failed">The failed attempt.</param>
    void Interrupt(int position, TargetAttempt failed);
}
