namespace ActionExec.Dispatch;

/// <summary>
/// The result of one attempt inside the caller: a success is its status, body and duration without a <see cref="TargetAttempt"/>;
/// a failure is the classified <see cref="TargetAttempt"/>.
/// </summary>
/// <remarks>Inside a flow that nothing times (see <c>TargetCaller</c>), <c>Duration</c> is zero.</remarks>
internal readonly record struct AttemptOutcome(TargetAttempt? Failed, int? StatusCode, ReadOnlyMemory<byte> Body, TimeSpan Duration, TargetResponse? Answer = null);
