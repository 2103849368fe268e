using ActionExec.Errors;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Grpc.Tests.Errors;

public sealed class ActionExecExceptionExtensionsTests
{
    [Fact]
    public void ToRpcException_FieldViolations_CarriesTheCodeAndABadRequestWithEveryViolation()
    {
        var error = ActionExecException.InvalidArgument([new FieldViolation("name", "The name is empty."), new FieldViolation("userId", "The userId is empty.")]);

        var rpc = error.ToRpcException();

        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Equal(error.Message, rpc.Status.Detail);
        var violations = rpc.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations;
        // Field paths in proto naming, as google.rpc.BadRequest carries them.
        Assert.Equal(["name", "user_id"], violations.Select(static v => v.Field));
    }

    [Fact]
    public void ToRpcException_ForwardedStatus_CarriesItInAnErrorInfo()
    {
        var error = new ActionExecException(ActionExecErrorCode.PermissionDenied, "u1 is locked.") { ForwardedHttpStatusCode = 403 };

        var rpc = error.ToRpcException();

        Assert.Equal(StatusCode.PermissionDenied, rpc.StatusCode);
        Assert.Equal("u1 is locked.", rpc.Status.Detail);
        var info = rpc.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("403", info.Metadata["httpStatusCode"]);
        Assert.Null(rpc.GetRpcStatus()!.GetDetail<BadRequest>());
    }

    [Fact]
    public void ToRpcException_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>("error", () => ActionExecExceptionExtensions.ToRpcException(null!));
    }
}
