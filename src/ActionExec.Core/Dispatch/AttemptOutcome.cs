namespace ActionExec.Dispatch;

/// <summary>
/// The result of one attempt inside the caller: a success is its status, body and duration without a <see cref="TargetAttempt"/>;
/// a failure is the classified <see cref="TargetAttempt"/>.
/// </summary>
/// <remarks>Inside a flow that nothing times (see <c>TargetCaller</c>), <c>Duration</c> is zero.</remarks>
internal readonly record struct AttemptOutcome(TargetAttempt? Failed, int? StatusCode, ReadOnlyMemory<byte> Body, TimeSpan Duration, TargetResponse? Answer = null)
{
    /// <summary>The step dealt with the rest of the flow itself (a delivery rescheduled or abandoned): the runner stops here.</summary>
    public static AttemptOutcome End { get; } = new(null, null, default, default) { EndsFlow = true };

    /// <summary>Whether the flow stops after this step.</summary>
    public bool EndsFlow { get; init; }
}
