using ActionExec.Targets;

namespace ActionExec.Tests.Targets;

public sealed class TargetUpdateTests
{
    private static readonly TargetSpec Spec = new()
    {
        Name = "audit",
        Endpoint = "https://example.com/hook",
        Type = TargetType.Webhook,
        Timeout = TimeSpan.FromSeconds(10),
        InterruptOnError = true,
    };

    [Fact]
    public void ApplyTo_NothingSet_KeepsEveryValue()
    {
        Assert.Equal(Spec, new TargetUpdate().ApplyTo(Spec));
    }

    [Fact]
    public void ApplyTo_EverythingSet_ReplacesEveryValue()
    {
        var update = new TargetUpdate
        {
            Name = "billing",
            Endpoint = "https://billing.example.com/hook",
            Type = TargetType.Async,
            Timeout = TimeSpan.FromSeconds(3),
            InterruptOnError = false,
            PayloadType = PayloadType.Json,
            SignatureScheme = SignatureScheme.StandardWebhooks,
        };

        var expected = new TargetSpec
        {
            Name = "billing",
            Endpoint = "https://billing.example.com/hook",
            Type = TargetType.Async,
            Timeout = TimeSpan.FromSeconds(3),
            InterruptOnError = false,
            SignatureScheme = SignatureScheme.StandardWebhooks,
        };
        Assert.Equal(expected, update.ApplyTo(Spec));
    }

    [Fact]
    public void ApplyTo_FalseInterruptOnError_IsAChangeNotAnAbsence()
    {
        var result = new TargetUpdate { InterruptOnError = false }.ApplyTo(Spec);

        Assert.False(result.InterruptOnError);
        Assert.Equal(Spec.Name, result.Name);
    }

    [Fact]
    public void ApplyTo_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new TargetUpdate().ApplyTo(null!));
    }
}
