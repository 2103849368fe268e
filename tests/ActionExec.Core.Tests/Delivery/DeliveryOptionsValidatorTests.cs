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
