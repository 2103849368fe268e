using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Errors;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace ActionExec.Tests.DependencyInjection;

public sealed class DeliveryBuilderExtensionsTests
{
    [Fact]
    public async Task AddActionExecutions_CalledTwice_RegistersTheDeliveryDefaultsOnce()
    {
        var services = NewServices();
        services.AddActionExecutions();
        services.AddActionExecutions();
        await using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IDeliveryQueue));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<DeliveryOptions>));
        Assert.IsType<InMemoryDeliveryQueue>(provider.GetRequiredService<IDeliveryQueue>());
        Assert.Same(provider.GetRequiredService<DeliveryWorker>(), Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Same(provider.GetRequiredService<DeliveryStatistics>(), provider.GetRequiredService<DeliveryWorker>().Statistics);
        Assert.Same(provider.GetRequiredService<IDeliveryQueue>(), provider.GetRequiredService<IDeliveryHistory>());
    }

    [Fact]
    public async Task UseDeliveryQueue_QueueWithAHistory_IsAlsoTheHistory()
    {
        var queue = Substitute.For<IDeliveryQueue, IDeliveryHistory>();
        var services = NewServices();
        services.AddActionExecutions().UseDeliveryQueue(queue);
        await using var provider = services.BuildServiceProvider();

        Assert.Same(queue, provider.GetRequiredService<IDeliveryHistory>());
    }

    [Fact]
    public async Task UseDeliveryQueue_QueueWithoutAHistory_ManagementAnswersUnimplemented()
    {
        var services = NewServices();
        services.AddActionExecutions().UseDeliveryQueue<StubDeliveryQueue>();
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IDeliveryHistory>());
        var error = await Assert.ThrowsAsync<ActionExecException>(
            () => provider.GetRequiredService<IActionManagement>().ListDeliveriesAsync(ManagementCaller.ForHost("t1"), new DeliveryQuery()).AsTask());
        Assert.Equal(ActionExecErrorCode.Unimplemented, error.Code);
    }

    [Fact]
    public async Task UseDeliveryQueue_Instance_ReplacesTheDefault()
    {
        var queue = Substitute.For<IDeliveryQueue>();
        var services = NewServices();
        services.AddActionExecutions().UseDeliveryQueue(queue);
        services.AddActionExecutions();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(queue, provider.GetRequiredService<IDeliveryQueue>());
    }

    [Fact]
    public async Task UseDeliveryQueue_Type_ReplacesTheDefault()
    {
        var services = NewServices();
        services.AddActionExecutions().UseDeliveryQueue<StubDeliveryQueue>();
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<StubDeliveryQueue>(provider.GetRequiredService<IDeliveryQueue>());
    }

    [Fact]
    public async Task AddDeadLetterObserver_SameTypeOrInstanceTwice_RegistersEachOnce()
    {
        var instance = new RecordingDeadLetterObserver();
        var services = NewServices();
        services.AddActionExecutions()
            .AddDeadLetterObserver<ThrowingDeadLetterObserver>()
            .AddDeadLetterObserver<ThrowingDeadLetterObserver>()
            .AddDeadLetterObserver(instance)
            .AddDeadLetterObserver(instance)
            .AddDeadLetterObserver(new RecordingDeadLetterObserver());
        await using var provider = services.BuildServiceProvider();

        var observers = provider.GetServices<IDeadLetterObserver>().ToList();
        Assert.Equal(3, observers.Count);
        Assert.IsType<ThrowingDeadLetterObserver>(observers[0]);
        Assert.Same(instance, observers[1]);
    }

    [Fact]
    public async Task ConfigureDelivery_CalledTwice_AppliesBoth()
    {
        var services = NewServices();
        services.AddActionExecutions()
            .ConfigureDelivery(o => o.Capacity = 7)
            .ConfigureDelivery(o => o.Workers = 3);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        Assert.Equal(7, options.Capacity);
        Assert.Equal(3, options.Workers);
    }

    [Fact]
    public async Task ConfigureDelivery_InvalidOptions_FailWithEveryProblemListed()
    {
        var services = NewServices();
        services.AddActionExecutions().ConfigureDelivery(o =>
        {
            o.Capacity = 0;
            o.Workers = 0;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IDeliveryQueue>());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("DeliveryOptions.Capacity is 0", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("DeliveryOptions.Workers is 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseInlineDelivery_PublishEvent_TheTargetsAreCalledBeforeItReturns()
    {
        var time = new FakeTimeProvider();
        var invoker = new ScriptedInvoker(time);
        await using var provider = InlineServices(time, invoker).BuildServiceProvider();
        await SetUpEventAsync(provider, "first", "second");

        await provider.GetRequiredService<IActionDispatcher>().PublishEventAsync(new FlowContext("t1"), Added);

        Assert.Equal(["first", "second"], invoker.Calls.Select(c => c.TargetName));
        Assert.Equal(0, await provider.GetRequiredService<IDeliveryQueue>().CountAsync(CancellationToken.None));
        Assert.Equal(1, provider.GetRequiredService<DeliveryStatistics>().Delivered);
    }

    [Fact]
    public async Task UseInlineDelivery_FailedAttempt_IsRetriedWhenTheClockPassesItsTimeAndSomethingDeliversAgain()
    {
        var time = new FakeTimeProvider();
        var invoker = new ScriptedInvoker(time);
        invoker.Script("first", Answer.WithStatus(503));
        await using var provider = InlineServices(time, invoker).BuildServiceProvider();
        await SetUpEventAsync(provider, "first");
        var worker = provider.GetRequiredService<DeliveryWorker>();

        await provider.GetRequiredService<IActionDispatcher>().PublishEventAsync(new FlowContext("t1"), Added);
        await worker.DeliverDueAsync(CancellationToken.None);
        Assert.Single(invoker.Calls);

        time.Advance(DeliveryOptions.DefaultRetrySchedule[1]);
        await worker.DeliverDueAsync(CancellationToken.None);

        Assert.Equal([1, 2], invoker.Calls.Select(c => c.Attempt));
        Assert.Equal(0, await provider.GetRequiredService<IDeliveryQueue>().CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task UseInlineDelivery_HostStarted_TheWorkerRunsNoLoops()
    {
        var time = new FakeTimeProvider();
        var queue = Substitute.For<IDeliveryQueue>();
        queue.CloseAsync(default).ReturnsForAnyArgs(ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>([]));
        var services = InlineServices(time, new ScriptedInvoker(time));
        services.AddActionExecutions().UseDeliveryQueue(queue);
        await using var provider = services.BuildServiceProvider();
        var worker = provider.GetRequiredService<DeliveryWorker>();

        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!;
        await worker.StopAsync(CancellationToken.None);

        await queue.DidNotReceiveWithAnyArgs().LeaseAsync(default, default, default);
        Assert.True(provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.Inline);
    }

    [Fact]
    public async Task UseInlineDelivery_TargetPublishesFromInsideADelivery_TheRunningPassDeliversItToo()
    {
        var time = new FakeTimeProvider();
        var services = InlineServices(time, new ScriptedInvoker(time));
        var republishing = new RepublishingInvoker();
        services.AddActionExecutions().AddTargetInvoker("again", republishing);
        await using var provider = services.BuildServiceProvider();
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();
        republishing.Dispatcher = dispatcher;
        var management = provider.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost("t1");
        var first = await management.CreateTargetAsync(caller, new TargetSpec { Name = "again", Endpoint = "again://first", Type = TargetType.Async, Timeout = TimeSpan.FromSeconds(5) });
        await management.SetExecutionAsync(caller, Condition.Event("user.human.added"), [ExecutionEntry.ForTarget(first.Target.Id)]);
        var second = await management.CreateTargetAsync(caller, new TargetSpec { Name = "second", Endpoint = "again://second", Type = TargetType.Async, Timeout = TimeSpan.FromSeconds(5) });
        await management.SetExecutionAsync(caller, Condition.Event("user.human.changed"), [ExecutionEntry.ForTarget(second.Target.Id)]);

        await dispatcher.PublishEventAsync(new FlowContext("t1"), Added);

        Assert.Equal(["again://first", "again://second"], republishing.Endpoints);
    }

    private static readonly ActionEvent Added = new() { EventType = "user.human.added", AggregateId = "u1", AggregateType = "user" };

    private static ServiceCollection InlineServices(FakeTimeProvider time, ScriptedInvoker invoker)
    {
        var services = NewServices();
        services.AddSingleton<TimeProvider>(time);
        services.AddActionExecutions().AddTargetInvoker("inproc", invoker).UseInlineDelivery().UseInlineDelivery();
        return services;
    }

    private static async Task SetUpEventAsync(ServiceProvider provider, params string[] targets)
    {
        var management = provider.GetRequiredService<IActionManagement>();
        var caller = ManagementCaller.ForHost("t1");
        var entries = new List<ExecutionEntry>();
        foreach (var name in targets)
        {
            var created = await management.CreateTargetAsync(caller, new TargetSpec { Name = name, Endpoint = "inproc://" + name, Type = TargetType.Async, Timeout = TimeSpan.FromSeconds(5) });
            entries.Add(ExecutionEntry.ForTarget(created.Target.Id));
        }

        await management.SetExecutionAsync(caller, Condition.Event("user.human.added"), entries);
    }

    private sealed class RepublishingInvoker : ITargetInvoker
    {
        private readonly Lock _gate = new();
        private readonly List<string> _endpoints = [];

        public IActionDispatcher? Dispatcher { get; set; }

        public IReadOnlyList<string> Endpoints
        {
            get
            {
                lock (_gate)
                {
                    return [.. _endpoints];
                }
            }
        }

        public async ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _endpoints.Add(request.Endpoint.ToString().TrimEnd('/'));
            }

            if (string.Equals(request.Endpoint.Host, "first", StringComparison.Ordinal))
            {
                // Would wait for itself if the inner publish waited for the running pass.
                await Dispatcher!.PublishEventAsync(new FlowContext("t1"), Added with { EventType = "user.human.changed" }, cancellationToken);
            }

            return TargetResponse.Ok();
        }
    }

    private static ServiceCollection NewServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new LogSink());
        services.AddSingleton(typeof(ILogger<>), typeof(RecordingLogger<>));
        return services;
    }

    public sealed class StubDeliveryQueue : IDeliveryQueue
    {
        public ValueTask<bool> EnqueueAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<IReadOnlyList<DeliveryLease>> LeaseAsync(int maxCount, TimeSpan duration, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<DeliveryLease>>([]);

        public async ValueTask WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken) => await Task.Delay(Timeout.Infinite, cancellationToken);

        public ValueTask<bool> ExtendLeaseAsync(DeliveryLease lease, TimeSpan duration, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> CheckpointAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> RescheduleAsync(DeliveryLease lease, BackgroundDelivery progress, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> CompleteAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> DeadLetterAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<long> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult(0L);

        public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>([]);
    }
}
