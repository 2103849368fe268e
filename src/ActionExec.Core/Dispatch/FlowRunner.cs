using System.Collections.Immutable;
using ActionExec.Engine;
using ActionExec.Targets;

namespace ActionExec.Dispatch;

/// <summary>
/// The one loop every flow runs: the flattened targets in order; a call target's answer merged into the message (the next
/// target gets a payload built around it); a failure of an interrupting target (not an async one) ends the flow; any other
/// failure is recorded by the caller and the flow goes on with the message unchanged.
/// </summary>
/// <remarks>
/// The request, response and function flows of the dispatcher and the console's chain run through here; each says what differs
/// through its <see cref="IFlowSteps"/>. Generic over the steps' type: the dispatcher's steps are structs, so its hot path has
/// no virtual call, closure or allocation of its own.
/// </remarks>
internal static class FlowRunner
{
    /// <summary>Runs <paramref name="targets"/> through <paramref name="steps"/>.</summary>
    /// <typeparam name="TSteps">The flow's steps.</typeparam>
    /// <param name="steps">The flow's state and variations.</param>
    /// <param name="targets">The flattened targets, in order.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The steps with the state the flow left them in.</returns>
    public static async ValueTask<TSteps> RunAsync<TSteps>(TSteps steps, ImmutableArray<ResolvedTarget> targets, CancellationToken cancellationToken)
        where TSteps : IFlowSteps
    {
        ReadOnlyMemory<byte> payload = default;
        for (var position = 0; position < targets.Length; position++)
        {
            var target = targets[position];
            if (payload.IsEmpty)
            {
                payload = steps.WritePayload();
            }

            var outcome = await steps.RunAsync(target, position, payload, cancellationToken).ConfigureAwait(false);
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

            if (failed is not null && definition.InterruptOnError && definition.Type != TargetType.Async)
            {
                steps.Interrupt(position, failed);
                break;
            }
        }

        return steps;
    }
}
