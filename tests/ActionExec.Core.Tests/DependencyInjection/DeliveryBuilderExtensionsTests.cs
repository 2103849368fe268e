using ActionExec.Delivery;
using ActionExec.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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

    private static ServiceCollection NewServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new LogSink());
        services.AddSingleton(typeof(ILogger<>), typeof(RecordingLogger<>));
        return services;
    }

    public sealed class StubDeliveryQueue : IDeliveryQueue
    {
        public int Count => 0;

        public ValueTask EnqueueAsync(BackgroundDelivery delivery, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask<BackgroundDelivery> DequeueAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new OperationCanceledException(cancellationToken);
        }

        public ValueTask<BackgroundDelivery?> TryDequeueAsync(CancellationToken cancellationToken) => ValueTask.FromResult<BackgroundDelivery?>(null);

        public ValueTask RescheduleAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(BackgroundDelivery delivery, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>([]);
    }
}
