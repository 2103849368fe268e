using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Targets;

namespace ActionExec.Tests.Dispatch;

/// <summary>The one flow loop on its own: start position, per-step lookup (run, skip, end), a step that ends the flow, interruption.</summary>
public sealed class FlowRunnerTests
{
    [Fact]
    public async Task RunAsync_FromAStartPosition_RunsOnlyTheTargetsFromThere()
    {
        var steps = new RecordingSteps(Targets(4));

        await FlowRunner.RunAsync(steps, 2, 4, CancellationToken.None);

        Assert.Equal([2, 3], steps.Resolved);
        Assert.Equal([2, 3], steps.Ran);
    }

    [Fact]
    public async Task RunAsync_StepSkipped_GoesOnWithTheNext()
    {
        var steps = new RecordingSteps(Targets(3)) { SkipAt = 1 };

        await FlowRunner.RunAsync(steps, 0, 3, CancellationToken.None);

        Assert.Equal([0, 1, 2], steps.Resolved);
        Assert.Equal([0, 2], steps.Ran);
    }

    [Fact]
    public async Task RunAsync_LookupEndsTheFlow_RunsNothingMore()
    {
        var steps = new RecordingSteps(Targets(3)) { EndAt = 1 };

        await FlowRunner.RunAsync(steps, 0, 3, CancellationToken.None);

        Assert.Equal([0, 1], steps.Resolved);
        Assert.Equal([0], steps.Ran);
        Assert.Null(steps.Interrupted);
    }

    [Fact]
    public async Task RunAsync_OutcomeEndsTheFlow_StopsWithoutInterrupting()
    {
        var steps = new RecordingSteps(Targets(3)) { EndsAfter = 0 };

        await FlowRunner.RunAsync(steps, 0, 3, CancellationToken.None);

        Assert.Equal([0], steps.Ran);
        Assert.Null(steps.Interrupted);
    }

    [Theory]
    [InlineData(TargetType.Webhook, true)]
    [InlineData(TargetType.Call, true)]
    [InlineData(TargetType.Async, false)]
    public async Task RunAsync_InterruptingTargetFails_InterruptsUnlessItIsAsync(TargetType type, bool interrupts)
    {
        var steps = new RecordingSteps(Targets(3, type, interrupt: true)) { FailAt = 1 };

        await FlowRunner.RunAsync(steps, 0, 3, CancellationToken.None);

        Assert.Equal(interrupts ? 1 : null, steps.Interrupted);
        Assert.Equal(interrupts ? [0, 1] : [0, 1, 2], steps.Ran);
    }

    [Fact]
    public async Task RunAsync_CallTargetAnswers_MergesAndWritesThePayloadAgain()
    {
        var steps = new RecordingSteps(Targets(3, TargetType.Call)) { AnswerAt = 0 };

        await FlowRunner.RunAsync(steps, 0, 3, CancellationToken.None);

        Assert.Equal([0], steps.Merged);
        Assert.Equal(2, steps.PayloadsWritten);
    }

    private static ResolvedTarget[] Targets(int count, TargetType type = TargetType.Webhook, bool interrupt = false) =>
        [.. Enumerable.Range(0, count).Select(i => new ResolvedTarget(
            new Target { Id = $"t{i}", Name = $"target-{i}", Endpoint = $"inproc://hooks/{i}", Type = type, Timeout = TimeSpan.FromSeconds(1), InterruptOnError = interrupt },
            new Uri($"inproc://hooks/{i}"),
            ""))];

    private sealed class RecordingSteps(ResolvedTarget[] targets) : IFlowSteps
    {
        public int? SkipAt { get; init; }

        public int? EndAt { get; init; }

        public int? EndsAfter { get; init; }

        public int? FailAt { get; init; }

        public int? AnswerAt { get; init; }

        public List<int> Resolved { get; } = [];

        public List<int> Ran { get; } = [];

        public List<int> Merged { get; } = [];

        public int PayloadsWritten { get; private set; }

        public int? Interrupted { get; private set; }

        public ValueTask<FlowStep> ResolveAsync(int position, CancellationToken cancellationToken)
        {
            Resolved.Add(position);
            return new(position == SkipAt ? FlowStep.Skip : position == EndAt ? FlowStep.End : FlowStep.Run(targets[position]));
        }

        public ReadOnlyMemory<byte> WritePayload()
        {
            PayloadsWritten++;
            return "{}"u8.ToArray();
        }

        public ValueTask<AttemptOutcome> RunAsync(ResolvedTarget target, int position, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Ran.Add(position);
            if (position == EndsAfter)
            {
                return new(AttemptOutcome.End);
            }

            if (position == FailAt)
            {
                var failed = new TargetAttempt(target, TargetFailureKind.Status, 500, "it answered 500", default, TimeSpan.Zero);
                return new(new AttemptOutcome(failed, 500, default, TimeSpan.Zero));
            }

            return new(new AttemptOutcome(null, 200, position == AnswerAt ? "{\"a\":1}"u8.ToArray() : default, TimeSpan.Zero));
        }

        public string? Merge(ResolvedTarget target, ReadOnlyMemory<byte> answer)
        {
            Merged.Add(Array.IndexOf(targets, target));
            return null;
        }

        public void Interrupt(int position, TargetAttempt failed) => Interrupted = position;
    }
}
