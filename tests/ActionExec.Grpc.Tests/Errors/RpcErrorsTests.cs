using ActionExec.Errors;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Grpc.Tests.Errors;

public sealed class RpcErrorsTests
{
    [Fact]
    public void ToRpcException_Violations_CodeMessageAndEveryViolationInABadRequest()
    {
        var error = ActionExecException.InvalidArgument([new FieldViolation("condition.request.method", "Unknown method."), new FieldViolation("targets[1]", "Empty.")]);

        var rpc = RpcErrors.ToRpcException(error);

        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Equal(error.Message, rpc.Status.Detail);
        var status = rpc.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(["condition.request.method", "targets[1]"], badRequest.FieldViolations.Select(v => v.Field));
        Assert.Null(status.GetDetail<ErrorInfo>());
    }

    [Fact]
    public void ToRpcException_ForwardedStatus_ErrorInfoCarriesIt()
    {
        var error = new ActionExecException(ActionExecErrorCode.PermissionDenied, "No.") { ForwardedHttpStatusCode = 403 };

        var rpc = RpcErrors.ToRpcException(error);

        Assert.Equal(StatusCode.PermissionDenied, rpc.StatusCode);
        var info = rpc.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(RpcErrors.Domain, info.Domain);
        Assert.Equal("403", info.Metadata[RpcErrors.ForwardedStatusKey]);
        Assert.Null(rpc.GetRpcStatus()!.GetDetail<BadRequest>());
    }

    [Theory]
    [InlineData(ActionExecErrorCode.DeadlineExceeded, StatusCode.DeadlineExceeded)]
    [InlineData(ActionExecErrorCode.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(ActionExecErrorCode.Internal, StatusCode.Internal)]
    [InlineData(ActionExecErrorCode.Unavailable, StatusCode.Unavailable)]
    public void ToRpcException_Code_IsTheSameGrpcCode(ActionExecErrorCode code, StatusCode expected)
    {
        var rpc = RpcErrors.ToRpcException(new ActionExecException(code, "It failed."));

        Assert.Equal(expected, rpc.StatusCode);
        Assert.Empty(rpc.GetRpcStatus()!.Details);
    }
}
