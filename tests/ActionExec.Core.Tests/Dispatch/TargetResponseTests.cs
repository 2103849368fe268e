using ActionExec.Dispatch;

namespace ActionExec.Tests.Dispatch;

public sealed class TargetResponseTests
{
    [Theory]
    [InlineData(TargetFailureKind.Transport)]
    [InlineData(TargetFailureKind.Timeout)]
    [InlineData(TargetFailureKind.ResponseTooLarge)]
    [InlineData(TargetFailureKind.Denied)]
    public void Failed_KindAnInvokerReports_IsAFailureWithoutAnAnswer(TargetFailureKind kind)
    {
        var response = TargetResponse.Failed(kind, "why");

        Assert.Equal(kind, response.Failure);
        Assert.Equal("why", response.FailureReason);
        Assert.False(response.IsSuccess);
        Assert.Equal(0, response.StatusCode);
        Assert.True(response.Body.IsEmpty);
        Assert.Empty(response.Headers);
    }

    [Theory]
    [InlineData(TargetFailureKind.None)]
    [InlineData(TargetFailureKind.Status)]
    [InlineData(TargetFailureKind.NotJson)]
    [InlineData(TargetFailureKind.Forwarded)]
    [InlineData(TargetFailureKind.NoInvoker)]
    public void Failed_KindTheDispatcherClassifies_ThrowsNamingIt(TargetFailureKind kind)
    {
        var error = Assert.Throws<ArgumentException>(() => TargetResponse.Failed(kind, "why"));

        Assert.Equal("kind", error.ParamName);
        Assert.Contains(kind.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_EmptyReason_Throws() =>
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => TargetResponse.Failed(TargetFailureKind.Transport, " ")).ParamName);

    [Fact]
    public void Constructor_Answer_HasNoFailure()
    {
        var response = new TargetResponse(404);

        Assert.Equal(TargetFailureKind.None, response.Failure);
        Assert.Null(response.FailureReason);
        Assert.False(response.IsSuccess);
    }
}
