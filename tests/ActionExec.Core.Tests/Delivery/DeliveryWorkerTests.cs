using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Targets;
using ActionExec.Tests.Reliability;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Tests.Delivery;

public sealed class DeliveryWorkerTests
{
    [Fact]
    public async Task Worker_TargetKeepsFailing_RetriesOnTheScheduleAndGivesUpAfterEightAttempts()
    {
        await using var harness = new DeliveryHarness(o => o.MaxAge = TimeSpan.FromDays(2));
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", [.. Enumerable.Repeat(Answer.WithStatus(503), 8)]);
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForCallsAsync(1);
        var schedule = DeliveryOptions.DefaultRetrySchedule;
        var lastAttempt = harness.Start;
        for (var attempt = 2; attempt <= 8; attempt++)
        {
            var dueAt = lastAttempt + schedule[attempt - 1];
            await harness.WaitForRetryDueAtAsync(dueAt);
            Assert.Equal(attempt - 1, harness.Invoker.Calls.Count);
            harness.Time.Advance(dueAt - harness.Time.GetUtcNow());
            await harness.WaitForCallsAsync(attempt);
            Assert.Equal(dueAt, harness.Invoker.Calls[attempt - 1].At);
            lastAttempt = dueAt;
        }

        await harness.WaitForFinishedAsync(1);
        var calls = harness.Invoker.Calls;
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], calls.Select(c => c.Attempt));
        Assert.Single(calls.Select(c => c.DeliveryId).Distinct(StringComparer.Ordinal));
        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.RetriesExhausted, deadLetter.Reason);
        Assert.Equal(8, deadLetter.Attempts);
        Assert.Equal(503, deadLetter.LastStatusCode);
        Assert.Equal("it answered 503", deadLetter.LastReason);
        Assert.Equal(calls[0].DeliveryId, deadLetter.DeliveryId);
        Assert.Equal(harness.Start + TimeSpan.FromHours(27) + TimeSpan.FromMinutes(35) + TimeSpan.FromSeconds(5), deadLetter.GivenUpAt);
        Assert.Equal(0, harness.Queue.Count);
        Assert.Equal(7, harness.Statistics.Retries);
        Assert.Equal(1, harness.Statistics.DeadLettered);
        Assert.Equal(0, harness.Statistics.Delivered);
    }

    [Fact]
    public async Task Worker_FirstDelayOfTheSchedule_DelaysTheFirstAttempt()
    {
        await using var harness = new DeliveryHarness(o => o.RetrySchedule = [TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)]);
        await harness.BindEventAsync("hook");
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForRetryDueAtAsync(harness.Start.AddMinutes(1));
        Assert.Empty(harness.Invoker.Calls);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.WaitForFinishedAsync(1);

        var call = Assert.Single(harness.Invoker.Calls);
        Assert.Equal(1, call.Attempt);
        Assert.Equal(harness.Start.AddMinutes(1), call.At);
        Assert.Equal(1, harness.Statistics.Delivered);
    }

    [Fact]
    public async Task Worker_ServerErrorThenSuccess_DeliversWithTheSameIdOnBothAttempts()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(500), Answer.Ok);
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForFinishedAsync(1);

        var calls = harness.Invoker.Calls;
        Assert.Equal([1, 2], calls.Select(c => c.Attempt));
        Assert.Equal(calls[0].DeliveryId, calls[1].DeliveryId);
        Assert.Equal(calls[0].Payload, calls[1].Payload);
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.Equal(1, harness.Statistics.Retries);
        Assert.Empty(harness.Observer.DeadLetters);
        Assert.Equal(0, harness.Queue.Count);
    }

    [Fact]
    public async Task Worker_TransportErrorAndTimeout_AreRetried()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.Throws(new IOException("connection reset")), Answer.WithStatus(408), Answer.Ok);
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5).AddMinutes(5));
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.WaitForFinishedAsync(1);

        Assert.Equal([1, 2, 3], harness.Invoker.Calls.Select(c => c.Attempt));
        Assert.Equal(1, harness.Statistics.Delivered);
    }

    [Fact]
    public async Task Worker_RetryAfter_WaitsLongerThanTheScheduleButNeverShorter()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        harness.Invoker.Script(
            "hook",
            Answer.WithStatus(429, retryAfter: TimeSpan.FromMinutes(2)),
            Answer.WithStatus(503, retryAfter: TimeSpan.FromSeconds(1)),
            Answer.Ok);
        await harness.PublishAsync();
        await harness.StartAsync();

        var second = harness.Start.AddMinutes(2);
        await harness.WaitForRetryDueAtAsync(second);
        harness.Time.Advance(TimeSpan.FromMinutes(2));
        var third = second.AddMinutes(5);
        await harness.WaitForRetryDueAtAsync(third);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.WaitForFinishedAsync(1);

        Assert.Equal([harness.Start, second, third], harness.Invoker.Calls.Select(c => c.At));
        Assert.Equal(1, harness.Statistics.Delivered);
    }

    [Theory]
    [InlineData(410)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(302)]
    public async Task Worker_FinalStatus_IsNotRetriedAndIsReportedOnce(int status)
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(status));
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        Assert.Single(harness.Invoker.Calls);
        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.FinalFailure, deadLetter.Reason);
        Assert.Equal(1, deadLetter.Attempts);
        Assert.Equal(status, deadLetter.LastStatusCode);
        Assert.Equal(DeliveryHarness.Tenant, deadLetter.TenantId);
        Assert.Equal("event/" + DeliveryHarness.EventType, deadLetter.Source);
        Assert.Empty(deadLetter.AbandonedTargetIds);
        Assert.Null(harness.Queue.NextDueAt);
        Assert.Equal(0, harness.Queue.Count);
        Assert.Equal(0, harness.Statistics.Retries);
        Assert.Equal(1, harness.Statistics.DeadLettered);
    }

    [Fact]
    public async Task Worker_DeniedEndpoint_IsNotRetried()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.Fails(TargetFailureKind.Denied, "The endpoint's address 10.0.0.1 is denied."));
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        Assert.Single(harness.Invoker.Calls);
        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.FinalFailure, deadLetter.Reason);
        Assert.Null(deadLetter.LastStatusCode);
        Assert.Equal("The endpoint's address 10.0.0.1 is denied.", deadLetter.LastReason);
    }

    [Fact]
    public async Task Worker_MaximumAgeReachedBeforeTheNextAttempt_GivesUpWithoutWaiting()
    {
        await using var harness = new DeliveryHarness(o => o.MaxAge = TimeSpan.FromHours(1));
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", [.. Enumerable.Repeat(Answer.WithStatus(500), 8)]);
        await harness.PublishAsync();
        await harness.StartAsync();

        // Attempts at 0, 5 s, 5 min 5 s and 35 min 5 s; the fifth would fall at 2 h 35 min 5 s, past the maximum age of 1 h.
        foreach (var step in new[] { TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30) })
        {
            await harness.WaitForRetryDueAtAsync(harness.Time.GetUtcNow() + step);
            harness.Time.Advance(step);
        }

        await harness.WaitForFinishedAsync(1);

        Assert.Equal(4, harness.Invoker.Calls.Count);
        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.Expired, deadLetter.Reason);
        Assert.Equal(4, deadLetter.Attempts);
        Assert.Equal(500, deadLetter.LastStatusCode);
        Assert.Equal(harness.Start + TimeSpan.FromMinutes(35) + TimeSpan.FromSeconds(5), deadLetter.GivenUpAt);
        Assert.Equal(0, harness.Queue.Count);
    }

    [Fact]
    public async Task Worker_DeliveryOlderThanTheMaximumAge_IsGivenUpWithoutACall()
    {
        await using var harness = new DeliveryHarness();
        var ids = await harness.BindEventAsync("first", "second");
        await harness.PublishAsync();
        harness.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromTicks(1));
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        Assert.Empty(harness.Invoker.Calls);
        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.Expired, deadLetter.Reason);
        Assert.Equal(ids[0], deadLetter.TargetId);
        Assert.Equal(0, deadLetter.Attempts);
        Assert.Equal<string>([ids[1]], deadLetter.AbandonedTargetIds);
    }

    [Fact]
    public async Task Worker_EventTargets_AreCalledInOrder_PastAFailedTargetAndUpToAnInterruptingOne()
    {
        await using var harness = new DeliveryHarness();
        var a = await harness.CreateTargetAsync("a");
        var b = await harness.CreateTargetAsync("b");
        var c = await harness.CreateTargetAsync("c");
        var d = await harness.CreateTargetAsync("d", interrupt: true);
        var e = await harness.CreateTargetAsync("e");
        await harness.SetExecutionAsync(Condition.Event(DeliveryHarness.EventType), a, b, c, d, e);
        harness.Invoker.Script("b", Answer.WithStatus(400));
        harness.Invoker.Script("d", Answer.WithStatus(410));
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        Assert.Equal(["a", "b", "c", "d"], harness.Invoker.Calls.Select(call => call.TargetName));
        Assert.Single(harness.Invoker.Calls.Select(call => call.DeliveryId).Distinct(StringComparer.Ordinal));
        var deadLetters = harness.Observer.DeadLetters;
        Assert.Equal([b, d], deadLetters.Select(l => l.TargetId));
        Assert.Empty(deadLetters[0].AbandonedTargetIds);
        Assert.Equal<string>([e], deadLetters[1].AbandonedTargetIds);
        Assert.Equal(1, harness.Statistics.DeadLettered);
        Assert.Equal(2, harness.Statistics.DeadLetters);
        Assert.Equal(0, harness.Statistics.Delivered);
        Assert.Equal(0, harness.Queue.Count);
    }

    [Fact]
    public async Task Worker_RetriedTarget_ResumesAtThatTargetWithoutCallingEarlierOnesAgain()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("a", "b", "c");
        harness.Invoker.Script("b", Answer.WithStatus(503));
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForFinishedAsync(1);

        Assert.Equal(["a", "b", "b", "c"], harness.Invoker.Calls.Select(call => call.TargetName));
        Assert.Equal([1, 1, 2, 1], harness.Invoker.Calls.Select(call => call.Attempt));
        Assert.Equal(1, harness.Statistics.Delivered);
    }

    [Fact]
    public async Task Worker_TargetDeletedAfterQueuing_IsSkippedAndLogged()
    {
        await using var harness = new DeliveryHarness();
        var ids = await harness.BindEventAsync("a", "b", "c");
        await harness.PublishAsync();
        await harness.Management.DeleteTargetAsync(harness.Caller, ids[1]);
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        Assert.Equal(["a", "c"], harness.Invoker.Calls.Select(call => call.TargetName));
        Assert.Empty(harness.Observer.DeadLetters);
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.Equal(1, harness.Statistics.SkippedTargets);
        var log = Assert.Single(harness.Logs.WithEventId(4004));
        Assert.Contains(ids[1], log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_ObserverThrows_OtherObserversAreToldAndDeliveryGoesOn()
    {
        await using var harness = new DeliveryHarness(build: b => b.AddDeadLetterObserver<ThrowingDeadLetterObserver>());
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(410), Answer.WithStatus(410), Answer.Ok);
        await harness.PublishAsync("agg-1");
        await harness.PublishAsync("agg-2");
        await harness.PublishAsync("agg-3");
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(3);

        Assert.Equal(2, harness.Observer.DeadLetters.Count);
        Assert.Equal(2, harness.Logs.WithEventId(4006).Count);
        Assert.All(harness.Logs.WithEventId(4006), log => Assert.IsType<InvalidOperationException>(log.Exception));
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.Equal(2, harness.Statistics.DeadLettered);
    }

    [Fact]
    public async Task Worker_GiveUp_IsLoggedWithoutThePayload()
    {
        await using var harness = new DeliveryHarness();
        var ids = await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(410));
        await harness.PublishAsync(payload: """{"secret":"payload-marker-7f3a"}""");
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        var log = Assert.Single(harness.Logs.WithEventId(4005));
        Assert.Contains(ids[0], log.Message, StringComparison.Ordinal);
        Assert.Contains("final_failure", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Records, r => r.Message.Contains("payload-marker-7f3a", StringComparison.Ordinal));
        Assert.Contains("payload-marker-7f3a", System.Text.Encoding.UTF8.GetString(harness.Observer.DeadLetters[0].Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_Telemetry_ReportsTheQueueLengthAsLastCountedAndEveryDeadLetter()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        var gate = new TaskCompletionSource();
        harness.Invoker.Script("hook", Answer.WaitFor(gate), Answer.WithStatus(410), Answer.WithStatus(410));
        var meter = harness.Provider.GetRequiredService<ActionExecTelemetry>().Meter;
        var lengths = new ConcurrentQueue<int>();
        var deadLetters = new ConcurrentQueue<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name is "actionexec.delivery.queue_length" or "actionexec.delivery.dead_letters")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => lengths.Enqueue(value));
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (string.Equals(tag.Key, "actionexec.reason", StringComparison.Ordinal))
                {
                    deadLetters.Enqueue(tag.Value as string);
                }
            }
        });
        listener.Start();

        await harness.PublishAsync("agg-1");
        await harness.PublishAsync("agg-2");
        await harness.PublishAsync("agg-3");
        await harness.StartAsync();
        await harness.WaitForCallsAsync(1);

        // The loop counts the queue when it starts and then on a timer: one leased, two waiting.
        await Eventually.WaitUntilAsync(() => harness.Worker.QueueLength == 3, "the worker counted 3 deliveries");
        listener.RecordObservableInstruments();
        gate.SetResult();
        await harness.WaitForFinishedAsync(3);
        harness.Time.Advance(DeliveryWorker.QueueCountInterval);
        await Eventually.WaitUntilAsync(() => harness.Worker.QueueLength == 0, "the worker counted an empty queue");
        listener.RecordObservableInstruments();

        Assert.Equal([3, 0], lengths);
        Assert.Equal(["final_failure", "final_failure"], deadLetters);
    }

    [Fact]
    public async Task Worker_QueueLengthGauge_CountsOnATimerNeverPerLeaseOrWait()
    {
        await using var harness = new DeliveryHarness(watchLeases: true);
        await harness.BindEventAsync("hook");
        for (var i = 0; i < 5; i++)
        {
            await harness.PublishAsync("agg-" + i);
        }

        await harness.StartAsync();
        await harness.WaitForFinishedAsync(5);
        await Eventually.WaitUntilAsync(() => harness.Worker.QueueLength == 5, "the worker counted the queue when it started");

        // Five leases and a wait later, still the one count of the start.
        await Task.Delay(50);
        Assert.Equal(1, harness.Watch!.Counts);
        harness.Time.Advance(DeliveryWorker.QueueCountInterval - TimeSpan.FromTicks(1));
        await Task.Delay(50);
        Assert.Equal(1, harness.Watch.Counts);
        harness.Time.Advance(TimeSpan.FromTicks(1));
        await Eventually.WaitUntilAsync(() => harness.Worker.QueueLength == 0, "the timer counted the empty queue");
        Assert.Equal(2, harness.Watch.Counts);
    }

    [Fact]
    public async Task Worker_BatchLargerThanWorkers_KeepsTheLeasesOfDeliveriesWaitingForAWorker()
    {
        await using var harness = new DeliveryHarness(
            o =>
            {
                o.LeaseDuration = TimeSpan.FromSeconds(3);
                o.LeaseBatchSize = 4;
            },
            watchLeases: true);
        await harness.BindEventAsync("slow");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("slow", Answer.WaitFor(gate));
        await harness.PublishAsync("agg-1");
        await harness.PublishAsync("agg-2");
        await harness.PublishAsync("agg-3");
        await harness.StartAsync();
        await harness.WaitForCallsAsync(1);

        // One worker: the first delivery runs, the other two were leased with it and wait, their leases kept all the same.
        for (var period = 1; period <= 6; period++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            var expected = period * 3;
            await Eventually.WaitUntilAsync(() => harness.Watch!.Extensions == expected, $"three leases were extended {period} times");
        }

        Assert.Equal(3, harness.Watch!.Extended.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(await harness.Queue.LeaseAsync(10, TimeSpan.FromSeconds(3), CancellationToken.None));
        Assert.Single(harness.Invoker.Calls);
        gate.SetResult();
        await harness.WaitForFinishedAsync(3);
        Assert.Equal(3, harness.Statistics.Delivered);
        Assert.Equal(3, harness.Invoker.Calls.Count);
        Assert.Empty(harness.Logs.WithEventId(4013));
    }

    [Fact]
    public async Task Worker_SlowTarget_ExtendsTheLeaseEveryThirdSoNoOtherWorkerTakesTheDelivery()
    {
        // A lease of 3 s is extended every second; the target may take 10 s.
        await using var harness = new DeliveryHarness(o => o.LeaseDuration = TimeSpan.FromSeconds(3), watchLeases: true);
        await harness.BindEventAsync("slow");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("slow", Answer.WaitFor(gate));
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForCallsAsync(1);

        for (var period = 1; period <= 6; period++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            var expected = period;
            await Eventually.WaitUntilAsync(() => harness.Watch!.Extensions == expected, $"the lease was extended {expected} times");
        }

        // Twice the lease later, another worker still finds nothing to lease.
        Assert.Empty(await harness.Queue.LeaseAsync(10, TimeSpan.FromSeconds(3), CancellationToken.None));
        gate.SetResult();
        await harness.WaitForFinishedAsync(1);
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.Single(harness.Invoker.Calls);
        Assert.Empty(harness.Logs.WithEventId(4013));
    }

    [Fact]
    public async Task Worker_LeaseLost_StopsWorkingAtOnceLogsItAndNeverReportsTheDeliveryFinished()
    {
        await using var harness = new DeliveryHarness(o => o.LeaseDuration = TimeSpan.FromSeconds(30), watchLeases: true);
        await harness.BindEventAsync("slow", "after");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("slow", Answer.WaitFor(gate));
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForCallsAsync(1);

        harness.Watch!.LoseLeases = true;
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.WaitUntilAsync(() => harness.Logs.WithEventId(4013).Count == 1, "the lost lease was logged");

        // The call in flight was cancelled: nothing more is sent, finished or reported.
        await Task.Delay(50);
        Assert.Single(harness.Invoker.Calls);
        Assert.Equal(0, harness.Watch.Ends);
        Assert.Empty(harness.Watch.Checkpoints);
        Assert.Equal(0, harness.Finished);
        Assert.Empty(harness.Observer.DeadLetters);
        Assert.Contains(harness.Invoker.Calls[0].DeliveryId, Assert.Single(harness.Logs.WithEventId(4013)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_EventTargets_CheckpointsAfterEachTargetButTheLast()
    {
        await using var harness = new DeliveryHarness(watchLeases: true);
        await harness.BindEventAsync("first", "second", "third");
        await harness.PublishAsync();
        await harness.StartAsync();

        await harness.WaitForFinishedAsync(1);

        Assert.Equal([1, 2], harness.Watch!.Checkpoints.Select(c => c.NextTarget));
        Assert.Equal(1, harness.Watch.Ends);
    }

    [Fact]
    public async Task Worker_CrashAfterACheckpoint_ANewLeaseResumesWithoutResendingTheTargetsDone()
    {
        await using var harness = new DeliveryHarness(o => o.LeaseDuration = TimeSpan.FromSeconds(30));
        await harness.BindEventAsync("first", "second", "third");
        await harness.PublishAsync();

        // A worker of another instance leased it, delivered to the first two targets, checkpointed, and died.
        var crashed = Assert.Single(await harness.Queue.LeaseAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await harness.Queue.CheckpointAsync(crashed, crashed.Delivery with { NextTarget = 2 }, [], CancellationToken.None));
        await harness.StartAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50);
        Assert.Empty(harness.Invoker.Calls);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        await harness.WaitForFinishedAsync(1);
        var call = Assert.Single(harness.Invoker.Calls);
        Assert.Equal("third", call.TargetName);
        Assert.Equal(crashed.Delivery.Id, call.DeliveryId);
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.False(await harness.Queue.CompleteAsync(crashed, crashed.Delivery, [], CancellationToken.None));
    }

    [Fact]
    public async Task Worker_Attempts_AreRecordedForSuccessRetryAndDeadLetterWithoutBodies()
    {
        await using var harness = new DeliveryHarness();
        var ids = await harness.BindEventAsync("ok", "flaky", "broken");
        harness.Invoker.Script("ok", new Answer { Body = "ok-body" });
        harness.Invoker.Script("flaky", new Answer { Status = 503, Body = "busy-body" }, new Answer { Body = "fine-body" });
        harness.Invoker.Script("broken", new Answer { Status = 400, Body = "bad-body" });
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForFinishedAsync(1);

        var id = harness.Invoker.Calls[0].DeliveryId;
        var record = await harness.Management.GetDeliveryAsync(harness.Caller, id);

        Assert.Equal(DeliveryStatus.DeadLettered, record.Status);
        Assert.Equal<string>([ids[2]], record.GivenUpTargetIds);
        Assert.Equal(
            [
                (ids[0], 1, DeliveryAttemptOutcome.Succeeded, (int?)200, harness.Start),
                (ids[1], 1, DeliveryAttemptOutcome.Retrying, 503, harness.Start),
                (ids[1], 2, DeliveryAttemptOutcome.Succeeded, 200, harness.Start.AddSeconds(5)),
                (ids[2], 1, DeliveryAttemptOutcome.GaveUp, 400, harness.Start.AddSeconds(5)),
            ],
            record.Attempts.Select(a => (a.TargetId, a.Attempt, a.Outcome, a.StatusCode, a.StartedAt)));
        Assert.All(record.Attempts, a => Assert.Equal(id, a.DeliveryId));
        Assert.All(record.Attempts, a => Assert.Equal(DeliveryHarness.Tenant, a.TenantId));
        Assert.All(record.Attempts, a => Assert.Equal("event/" + DeliveryHarness.EventType, a.Source));
        Assert.All(record.Attempts, a => Assert.Null(a.ResponseBody));
        Assert.Null(record.Attempts[0].Reason);
        Assert.Equal("it answered 503", record.Attempts[1].Reason);
        Assert.Equal("it answered 400", record.Attempts[3].Reason);
        Assert.Null(record.Payload);
        Assert.Empty(harness.Logs.WithEventId(4013));
    }

    [Fact]
    public async Task Worker_RecordBodies_KeepsThePayloadAndTheFirst4KiBOfEachAnswer()
    {
        await using var harness = new DeliveryHarness(o => o.RecordBodies = true);
        await harness.BindEventAsync("hook");
        var body = new string('é', 3000);
        harness.Invoker.Script("hook", new Answer { Body = body });
        await harness.PublishAsync(payload: """{"n":1}""");
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);

        var record = await harness.Management.GetDeliveryAsync(harness.Caller, harness.Invoker.Calls[0].DeliveryId);

        var recorded = Assert.Single(record.Attempts).ResponseBody;
        Assert.Equal(new string('é', 2048), recorded);
        Assert.Contains("\"event_payload\":{\"n\":1}", record.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_ReplayedDeadLetter_IsDeliveredAgainWithTheSameWebhookIdToTheTargetItGaveUp()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("ok", "broken");
        harness.Invoker.Script("broken", Answer.WithStatus(400), Answer.Ok);
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);
        var id = harness.Invoker.Calls[0].DeliveryId;
        harness.Time.Advance(TimeSpan.FromHours(1));

        var replayed = await harness.Management.ReplayDeliveryAsync(harness.Caller, id);
        await harness.WaitForFinishedAsync(2);

        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        Assert.Equal(["ok", "broken", "broken"], harness.Invoker.Calls.Select(c => c.TargetName));
        Assert.All(harness.Invoker.Calls, c => Assert.Equal(id, c.DeliveryId));
        Assert.Equal(1, harness.Invoker.Calls[2].Attempt);
        var record = await harness.Management.GetDeliveryAsync(harness.Caller, id);
        Assert.Equal(DeliveryStatus.Delivered, record.Status);
        Assert.Equal(1, record.Replays);
        Assert.Equal(3, record.Attempts.Length);
    }

    [Fact]
    public async Task Worker_ReplayAfterTheMaximumAge_CountsTheAgeFromTheReplay()
    {
        await using var harness = new DeliveryHarness(o => o.MaxAge = TimeSpan.FromHours(1));
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(400), Answer.Ok);
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);
        harness.Time.Advance(TimeSpan.FromHours(2));

        await harness.Management.ReplayDeliveryAsync(harness.Caller, harness.Invoker.Calls[0].DeliveryId);
        await harness.WaitForFinishedAsync(2);

        Assert.Equal(2, harness.Invoker.Calls.Count);
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.DoesNotContain(harness.Observer.DeadLetters, l => l.Reason == DeadLetterReason.Expired);
    }

    [Fact]
    public async Task Worker_QueueFailsToTakeARetryBack_LogsItAndTheDeliveryIsDueAgainWhenItsLeaseRunsOut()
    {
        await using var harness = new DeliveryHarness(o => o.LeaseDuration = TimeSpan.FromSeconds(30), watchLeases: true);
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", Answer.WithStatus(503), Answer.Ok);
        harness.Watch!.FailingReschedules = 1;
        await harness.PublishAsync();
        await harness.StartAsync();
        await Eventually.WaitUntilAsync(() => harness.Logs.WithEventId(4008).Count == 1, "the queue failure was logged");

        Assert.Equal(0, harness.Statistics.Retries);
        Assert.Empty(harness.Observer.DeadLetters);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.WaitForFinishedAsync(1);

        Assert.Equal([1, 1], harness.Invoker.Calls.Select(c => c.Attempt));
        Assert.Single(harness.Invoker.Calls.Select(c => c.DeliveryId).Distinct(StringComparer.Ordinal));
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.Empty(harness.Observer.DeadLetters);
    }

    [Fact]
    public async Task Worker_CheckpointFails_StopsAndALaterLeaseSendsAgainFromTheLastCheckpointKept()
    {
        await using var harness = new DeliveryHarness(o => o.LeaseDuration = TimeSpan.FromSeconds(30), watchLeases: true);
        await harness.BindEventAsync("first", "second");
        harness.Watch!.FailingCheckpoints = 1;
        await harness.PublishAsync();
        await harness.StartAsync();
        await Eventually.WaitUntilAsync(() => harness.Logs.WithEventId(4008).Count == 1, "the queue failure was logged");
        await Task.Delay(50);
        Assert.Equal(["first"], harness.Invoker.Calls.Select(c => c.TargetName));

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.WaitForFinishedAsync(1);

        Assert.Equal(["first", "first", "second"], harness.Invoker.Calls.Select(c => c.TargetName));
        Assert.Equal(1, harness.Statistics.Delivered);
    }

    [Fact]
    public async Task Worker_TenantCannotBeLoaded_CountsAFailedAttemptAndRetriesOnTheSchedule()
    {
        var store = new FailingActionStore { FailLoadsOf = "unreachable" };
        await using var harness = new DeliveryHarness(build: b => b.UseStore(store));
        await harness.StartAsync();
        await harness.Queue.EnqueueAsync(
            new BackgroundDelivery
            {
                Id = "d1",
                TenantId = "unreachable",
                Source = "event/user.human.added",
                TargetIds = ["t1"],
                Payload = "{}"u8.ToArray(),
                CreatedAt = harness.Start,
            },
            harness.Start,
            CancellationToken.None);
        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));

        Assert.Contains("d1", Assert.Single(harness.Logs.WithEventId(4007)).Message, StringComparison.Ordinal);
        var attempt = Assert.Single((await harness.Queue.GetAsync("unreachable", "d1", CancellationToken.None))!.Attempts);
        Assert.Equal(DeliveryAttemptOutcome.Retrying, attempt.Outcome);
        Assert.Equal("processing the delivery failed: IOException", attempt.Reason);
        Assert.Null(attempt.StatusCode);

        store.FailLoadsOf = null;
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForFinishedAsync(1);
        Assert.Equal(1, harness.Statistics.SkippedTargets);
        Assert.Equal(1, harness.Statistics.Delivered);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    public async Task Worker_RecordBodies_CutsALongAnswerWhereACharacterStarts(string prefix)
    {
        await using var harness = new DeliveryHarness(o => o.RecordBodies = true);
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", new Answer { Body = prefix + new string('é', 3000) });
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);

        var record = await harness.Management.GetDeliveryAsync(harness.Caller, harness.Invoker.Calls[0].DeliveryId);

        // 'é' is two bytes: 4 KiB holds 2048 of them, or the prefix and 2047 when the prefix shifts them by one byte.
        var expected = prefix + new string('é', prefix.Length == 0 ? 2048 : 2047);
        Assert.Equal(expected, Assert.Single(record.Attempts).ResponseBody);
    }

    [Fact]
    public async Task Worker_InterruptingTargetGivenUp_ListsItAndEveryLaterTargetAsGivenUp()
    {
        await using var harness = new DeliveryHarness();
        var first = await harness.CreateTargetAsync("first");
        var gate = await harness.CreateTargetAsync("gate", interrupt: true);
        var last = await harness.CreateTargetAsync("last");
        await harness.SetExecutionAsync(Condition.Event(DeliveryHarness.EventType), first, gate, last);
        harness.Invoker.Script("gate", Answer.WithStatus(400));
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);

        var record = await harness.Management.GetDeliveryAsync(harness.Caller, harness.Invoker.Calls[0].DeliveryId);

        Assert.Equal(DeliveryStatus.DeadLettered, record.Status);
        Assert.Equal<string>([gate, last], record.GivenUpTargetIds);
        Assert.Equal(["first", "gate"], harness.Invoker.Calls.Select(c => c.TargetName));
        Assert.Empty(harness.Logs.WithEventId(4013));
    }

    [Fact]
    public async Task Worker_TargetGivenUpWithoutInterrupting_ListsOnlyItAndGoesOn()
    {
        await using var harness = new DeliveryHarness();
        var ids = await harness.BindEventAsync("broken", "after");
        harness.Invoker.Script("broken", Answer.WithStatus(400));
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);

        var record = await harness.Management.GetDeliveryAsync(harness.Caller, harness.Invoker.Calls[0].DeliveryId);

        Assert.Equal<string>([ids[0]], record.GivenUpTargetIds);
        Assert.Equal(["broken", "after"], harness.Invoker.Calls.Select(c => c.TargetName));
    }

    [Fact]
    public async Task Worker_RecordBodies_KeepsTheAnswerOfAFailedAttempt()
    {
        await using var harness = new DeliveryHarness(o => o.RecordBodies = true);
        await harness.BindEventAsync("hook");
        harness.Invoker.Script("hook", new Answer { Status = 400, Body = "no such user" });
        await harness.PublishAsync();
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);

        var record = await harness.Management.GetDeliveryAsync(harness.Caller, harness.Invoker.Calls[0].DeliveryId);

        Assert.Equal("no such user", Assert.Single(record.Attempts).ResponseBody);
    }

    [Fact]
    public async Task StopAsync_DeliversWhatIsInFlightAndDue_AndReportsScheduledRetries()
    {
        await using var harness = new DeliveryHarness();
        var slow = await harness.CreateTargetAsync("slow");
        var failing = await harness.CreateTargetAsync("failing");
        var fast = await harness.CreateTargetAsync("fast");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("failing", Answer.WithStatus(503));
        harness.Invoker.Script("slow", Answer.WaitFor(gate));
        await harness.SetExecutionAsync(Condition.Event(DeliveryHarness.EventType), failing);
        await harness.PublishAsync("retried");
        await harness.StartAsync();
        await harness.WaitForRetryDueAtAsync(harness.Start.AddSeconds(5));
        await harness.SetExecutionAsync(Condition.Event(DeliveryHarness.EventType), slow);
        await harness.PublishAsync("in-flight");
        await harness.WaitForCallsAsync(2);
        await harness.SetExecutionAsync(Condition.Event(DeliveryHarness.EventType), fast);
        await harness.PublishAsync("due");

        var stopping = harness.Worker.StopAsync(CancellationToken.None);
        gate.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["failing", "slow", "fast"], harness.Invoker.Calls.Select(c => c.TargetName));
        Assert.Equal(2, harness.Statistics.Delivered);
        var deadLetter = Assert.Single(harness.Observer.DeadLetters);
        Assert.Equal(DeadLetterReason.Shutdown, deadLetter.Reason);
        Assert.Equal(failing, deadLetter.TargetId);
        Assert.Equal(1, deadLetter.Attempts);
        Assert.Equal(503, deadLetter.LastStatusCode);
        Assert.Equal(1, harness.Statistics.DeadLettered);
        Assert.Equal(0, harness.Queue.Count);
        var refused = await Assert.ThrowsAsync<ActionExecException>(() => harness.PublishAsync("late").AsTask());
        Assert.Equal(ActionExecErrorCode.Unavailable, refused.Code);
    }

    [Fact]
    public async Task StopAsync_DrainTimeoutElapses_ReportsTheDeliveryInFlightAndThoseWaiting()
    {
        await using var harness = new DeliveryHarness(o => o.DrainTimeout = TimeSpan.FromSeconds(2));
        var ids = await harness.BindEventAsync("slow", "after");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Invoker.Script("slow", Answer.WaitFor(gate), Answer.WaitFor(gate));
        await harness.PublishAsync("in-flight");
        await harness.PublishAsync("waiting");
        await harness.StartAsync();
        await harness.WaitForCallsAsync(1);

        var stopping = harness.Worker.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(harness.Invoker.Calls);
        var deadLetters = harness.Observer.DeadLetters;
        Assert.Equal(2, deadLetters.Count);
        Assert.All(deadLetters, l => Assert.Equal(DeadLetterReason.Shutdown, l.Reason));
        Assert.All(deadLetters, l => Assert.Equal(ids[0], l.TargetId));
        Assert.All(deadLetters, l => Assert.Equal<string>([ids[1]], l.AbandonedTargetIds));
        Assert.Equal(2, deadLetters.Select(l => l.DeliveryId).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(harness.Invoker.Calls[0].DeliveryId, deadLetters.Select(l => l.DeliveryId));
        Assert.Equal(2, harness.Statistics.DeadLettered);
        Assert.Equal(0, harness.Queue.Count);
        Assert.Contains("2 deliveries", Assert.Single(harness.Logs.WithEventId(4010)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishEventAsync_QueueStaysFull_ThrowsUnavailableAfterTheEnqueueTimeout()
    {
        await using var harness = new DeliveryHarness(o =>
        {
            o.Capacity = 1;
            o.EnqueueTimeout = TimeSpan.FromSeconds(5);
        });
        await harness.BindEventAsync("hook");
        await harness.PublishAsync("agg-1");

        var pending = harness.PublishAsync("agg-2").AsTask();
        Assert.False(pending.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ActionExecException>(() => pending.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ActionExecErrorCode.Unavailable, error.Code);
        Assert.StartsWith("The delivery queue is full: all 1 places are taken and none became free within 5 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Queue.Count);
    }

    [Fact]
    public async Task PublishEventAsync_EndToEnd_DeliversTheEventPayloadInTheBackground()
    {
        await using var harness = new DeliveryHarness();
        await harness.BindEventAsync("hook");
        await harness.StartAsync();

        await harness.PublishAsync("agg-42", """{"name":"Ada"}""");
        await harness.WaitForFinishedAsync(1);

        var call = Assert.Single(harness.Invoker.Calls);
        var payload = JsonNode.Parse(call.Payload)!;
        Assert.Equal("agg-42", (string?)payload["aggregateID"]);
        Assert.Equal(DeliveryHarness.EventType, (string?)payload["event_type"]);
        Assert.Equal(DeliveryHarness.Tenant, (string?)payload["instanceID"]);
        Assert.Equal("Ada", (string?)payload["event_payload"]!["name"]);
        Assert.Equal("user", (string?)payload["aggregateType"]);
        Assert.Equal(1, (int)payload["sequence"]!);
        Assert.Equal("2024-12-18T07:50:47.492Z", (string?)payload["created_at"]);
        Assert.Null(payload["resourceOwner"]);
        Assert.Null(payload["version"]);
        Assert.Null(payload["userID"]);
        Assert.Equal(1, harness.Statistics.Delivered);
        Assert.Equal(0, harness.Queue.Count);
    }

    [Fact]
    public async Task RunRequestAsync_AsyncTarget_ReturnsBeforeTheTargetIsCalledAndDeliversItLater()
    {
        await using var harness = new DeliveryHarness();
        var asyncTarget = await harness.CreateTargetAsync("audit", TargetType.Async);
        await harness.SetExecutionAsync(Condition.RequestMethod("/pkg.v1.Service/Method"), asyncTarget);
        var request = JsonNode.Parse("""{"id":7}""");

        var result = await harness.Dispatcher.RunRequestAsync(harness.Context, "/pkg.v1.Service/Method", request);

        Assert.Same(request, result);
        Assert.Empty(harness.Invoker.Calls);
        Assert.Equal(1, harness.Queue.Count);
        await harness.StartAsync();
        await harness.WaitForFinishedAsync(1);
        var call = Assert.Single(harness.Invoker.Calls);
        Assert.Equal("audit", call.TargetName);
        Assert.Equal(7, (int?)JsonNode.Parse(call.Payload)!["request"]!["id"]);
        Assert.Equal(1, harness.Statistics.Delivered);
    }
}
