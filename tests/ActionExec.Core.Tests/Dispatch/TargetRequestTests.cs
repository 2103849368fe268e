using System.Text;
using ActionExec.Dispatch;
using ActionExec.Targets;

namespace ActionExec.Tests.Dispatch;

public sealed class TargetRequestTests
{
    private static readonly Target Hook = new()
    {
        Id = "target-1",
        Name = "users",
        Endpoint = "inproc://validators/users",
        Type = TargetType.Call,
        Timeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Constructor_BuiltByAHostTest_DrivesTheHostsOwnInvoker()
    {
        var request = new TargetRequest(Hook, Encoding.UTF8.GetBytes("""{"username":"ann"}"""), "delivery-1", attempt: 2, signingKey: "key");
        var invoker = new UppercasingInvoker();

        var response = await invoker.InvokeAsync(request, CancellationToken.None);

        Assert.True(response.IsSuccess);
        Assert.Equal("""{"USERNAME":"ANN"}""", Encoding.UTF8.GetString(response.Body.Span));
        Assert.Equal(new Uri("inproc://validators/users"), request.Endpoint);
        Assert.Same(Hook, request.Target);
        Assert.Equal("delivery-1", request.DeliveryId);
        Assert.Equal(2, request.Attempt);
        Assert.Equal("key", request.SigningKey);
    }

    [Fact]
    public async Task Constructor_HostInvokerFails_ReturnsATypedFailure()
    {
        var request = new TargetRequest(Hook with { Endpoint = "inproc://validators/offline" }, "{}"u8.ToArray(), "delivery-1");

        var response = await new UppercasingInvoker().InvokeAsync(request, CancellationToken.None);

        Assert.Equal(TargetFailureKind.Transport, response.Failure);
        Assert.Equal("validator offline is not running", response.FailureReason);
        Assert.False(response.IsSuccess);
        Assert.Equal("", request.SigningKey);
    }

    [Fact]
    public void Constructor_RelativeEndpoint_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new TargetRequest(Hook with { Endpoint = "validators/users" }, default, "delivery-1"));

        Assert.Equal("target", error.ParamName);
        Assert.Contains("'validators/users'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyDeliveryIdOrAttemptZero_Throws()
    {
        Assert.Equal("deliveryId", Assert.Throws<ArgumentException>(() => new TargetRequest(Hook, default, "")).ParamName);
        Assert.Equal("attempt", Assert.Throws<ArgumentOutOfRangeException>(() => new TargetRequest(Hook, default, "delivery-1", attempt: 0)).ParamName);
    }

    /// <summary>A host's own invoker: answers with the payload upper-cased, or fails for an endpoint it does not serve.</summary>
    private sealed class UppercasingInvoker : ITargetInvoker
    {
        public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
        {
            if (!string.Equals(request.Endpoint.AbsolutePath, "/users", StringComparison.Ordinal))
            {
                return ValueTask.FromResult(TargetResponse.Failed(TargetFailureKind.Transport, $"validator {request.Endpoint.Segments[^1]} is not running"));
            }

            var upper = Encoding.UTF8.GetString(request.Payload.Span).ToUpperInvariant();
            return ValueTask.FromResult(TargetResponse.Ok(Encoding.UTF8.GetBytes(upper)));
        }
    }
}
