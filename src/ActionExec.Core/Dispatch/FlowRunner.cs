using ActionExec.Targets;

namespace ActionExec.Dispatch;

/// <summary>
/// The one loop every flow runs: the targets in order, each looked up for its step; a call target's answer merged into the
/// message (the next target gets a payload built around it); a failure of an interrupting target (not an async one) ends the
/// flow; any other failure is recorded by the caller and the flow goes on with the message unchanged. A step may also end the
/// flow itself (a background delivery whose target must be retried later stops there and resumes from that position).
/// </summary>
/// <remarks>
/// The request, response and function flows of the dispatcher, the console's chain and background delivery run through here;
/// each says what differs through its <see cref="IFlowSteps"/>. Generic over the steps' type: the dispatcher's steps are structs,
/// so its hot path has no virtual call, closure or allocation of its own.
/// </remarks>
internal static class FlowRunner
{
    /// <summary>Runs the targets at positions <paramref name="start"/> to <paramref name="count"/> - 1 through <paramref name="steps"/>.</summary>
    /// <typeparam name="TSteps">The flow's steps.</typeparam>
    /// <param name="steps">The flow's state and variations.</param>
    /// <param name="start">The first position: 0, or where a resumed delivery stopped.</param>
    /// <param name="count">The number of targets.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The steps with the state the flow left them in.</returns>
    public static async ValueTask<TSteps> RunAsync<TSteps>(TSteps steps, int start, int count, CancellationToken cancellationToken)
        where TSteps : IFlowSteps
    {
        ReadOnlyMemory<byte> payload = default;
        for (var position = start; position < count; position++)
        {
            var step = await steps.ResolveAsync(position, cancellationToken).ConfigureAwait(false);
            if (step.Target is not { } target)
            {
                if (step.Ends)
                {
                    break;
                }

                continue;
            }

            if (payload.IsEmpty)
            {
                payload = steps.WritePayload();
            }

            var outcome = await steps.RunAsync(target, position, payload, cancellationToken).ConfigureAwait(false);
            if (outcome.EndsFlow)
            {
                break;
            }

            var failed = outcome.Failed;
            var definition = target.Definition;
            if (failed is null && definition.Type == TargetType.Call && !outcome.Body.IsEmpty)
            {
                var unusable = steps.Merge(target, outcome.Body);
                if (unusable is null)
                {
                    payload = default;
                    continue;
                }

                failed = new TargetAttempt(target, TargetFailureKind.NotJson, outcome.StatusCode, unusable, default, outcome.Duration);
            }

            if (failed is not null && definition.InterruptsFlow)
            {
                steps.Interrupt(position, failed);
                break;
            }
        }

        return steps;
    }
}
