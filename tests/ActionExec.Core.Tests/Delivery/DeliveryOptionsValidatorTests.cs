using ActionExec.Delivery;

namespace ActionExec.Tests.Delivery;

public sealed class DeliveryOptionsValidatorTests
{
    private readonly DeliveryOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new DeliveryOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(8, options.RetrySchedule.Count);
        Assert.Equal(TimeSpan.Zero, options.RetrySchedule[0]);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LeaseDuration);
        Assert.Equal(0, options.LeaseBatchSize);
        Assert.Equal(2, options.EffectiveLeaseBatchSize);
        Assert.Equal(TimeSpan.FromDays(7), options.HistoryRetention);
        Assert.Equal(10_000, options.HistoryCapacity);
        Assert.False(options.RecordBodies);
    }

    [Theory]
    [InlineData(0, 3, 3)]
    [InlineData(1, 3, 1)]
    [InlineData(1000, 3, 1000)]
    public void EffectiveLeaseBatchSize_ZeroMeansAsManyAsTheWorkers(int batch, int workers, int expected)
    {
        Assert.Equal(expected, new DeliveryOptions { LeaseBatchSize = batch, Workers = workers }.EffectiveLeaseBatchSize);
        Assert.True(_validator.Validate(null, new DeliveryOptions { LeaseBatchSize = batch, Workers = workers }).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Validate_LeaseBatchSizeOutOfRange_Fails(int batch)
    {
        var result = _validator.Validate(null, new DeliveryOptions { LeaseBatchSize = batch });

        Assert.Equal($"DeliveryOptions.LeaseBatchSize is {batch}; give a value from 0 (as many as the workers) to 1000.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_BoundaryValues_SucceedOrFailAsDocumented()
    {
        Assert.True(_validator.Validate(null, new DeliveryOptions { EnqueueTimeout = TimeSpan.Zero, DrainTimeout = TimeSpan.Zero, Workers = 256, LeaseBatchSize = 0 }).Succeeded);
        Assert.Equal(
            ["DeliveryOptions.HistoryRetention is 00:00:00; give a positive duration (the default is 7 days)."],
            _validator.Validate(null, new DeliveryOptions { HistoryRetention = TimeSpan.Zero }).Failures);
    }

    [Fact]
    public void Validate_SmallestValidLeaseAndHistory_Succeed()
    {
        var options = new DeliveryOptions { LeaseDuration = TimeSpan.FromTicks(1), HistoryRetention = TimeSpan.FromTicks(1), HistoryCapacity = 1 };

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EveryLimitBroken_ListsEveryProblem()
    {
        var result = _validator.Validate(null, new DeliveryOptions
        {
            RetrySchedule = [TimeSpan.Zero, TimeSpan.FromSeconds(-1)],
            MaxAge = TimeSpan.Zero,
            Capacity = 0,
            EnqueueTimeout = TimeSpan.FromSeconds(-2),
            DrainTimeout = TimeSpan.FromSeconds(-3),
            Workers = 0,
            LeaseDuration = TimeSpan.Zero,
            LeaseBatchSize = -1,
            HistoryRetention = TimeSpan.FromSeconds(-1),
            HistoryCapacity = 0,
        });

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "DeliveryOptions.RetrySchedule[1] is -00:00:01; give a delay of zero or more.",
                "DeliveryOptions.MaxAge is 00:00:00; give a positive duration (the default is 24 hours).",
                "DeliveryOptions.Capacity is 0; give at least 1 (the default is 10000).",
                "DeliveryOptions.EnqueueTimeout is -00:00:02; give zero or a positive duration (the default is 5 seconds).",
                "DeliveryOptions.DrainTimeout is -00:00:03; give zero or a positive duration (the default is 30 seconds).",
                "DeliveryOptions.Workers is 0; give a value from 1 to 256 (the default is 2).",
                "DeliveryOptions.LeaseDuration is 00:00:00; give a positive duration (the default is 30 seconds).",
                "DeliveryOptions.LeaseBatchSize is -1; give a value from 0 (as many as the workers) to 1000.",
                "DeliveryOptions.HistoryRetention is -00:00:01; give a positive duration (the default is 7 days).",
                "DeliveryOptions.HistoryCapacity is 0; give at least 1 (the default is 10000).",
            ],
            result.Failures);
    }

    [Fact]
    public void Validate_EmptySchedule_Fails()
    {
        var result = _validator.Validate(null, new DeliveryOptions { RetrySchedule = [] });

        Assert.Equal(
            "DeliveryOptions.RetrySchedule is empty; give at least one delay (the first is the delay before the first attempt, usually zero).",
            Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData(257)]
    [InlineData(-1)]
    public void Validate_WorkersOutOfRange_Fails(int workers)
    {
        var result = _validator.Validate(null, new DeliveryOptions { Workers = workers });

        Assert.Equal($"DeliveryOptions.Workers is {workers}; give a value from 1 to 256 (the default is 2).", Assert.Single(result.Failures!));
    }
}
