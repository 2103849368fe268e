using ActionExec.Errors;
using ActionExec.Grpc.Errors;
using Google.Rpc;
using Grpc.Core;

namespace ActionExec.Grpc.Tests.Errors;

public sealed class GrpcErrorsTests
{
    [Theory]
    [InlineData("targets[1].include.request.method", "targets[1].include.request.method")]
    [InlineData("targetType", "target_type")]
    [InlineData("restWebhook.interruptOnError", "rest_webhook.interrupt_on_error")]
    [InlineData("", "")]
    public void ProtoFieldPath_JsonPath_IsInProtoFieldNaming(string json, string proto) =>
        Assert.Equal(proto, GrpcErrors.ProtoFieldPath(json));

    [Fact]
    public void ToRpcException_Violations_CarriesCodeMessageAndBadRequest()
    {
        var error = ActionExecException.InvalidArgument([new FieldViolation("targetType", "a"), new FieldViolation("condition", "b")]);

        var exception = GrpcErrors.ToRpcException(error);

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Equal(error.Message, exception.Status.Detail);
        var status = exception.GetRpcStatus()!;
        Assert.Equal(3, status.Code);
        Assert.Equal(
            [("target_type", "a"), ("condition", "b")],
            status.GetDetail<BadRequest>()!.FieldViolations.Select(static v => (v.Field, v.Description)));
    }

    [Fact]
    public void ToStatus_MoreViolationsThanListed_ListsTheFirstHundred()
    {
        var error = ActionExecException.InvalidArgument([.. Enumerable.Range(0, 150).Select(static i => new FieldViolation($"targets[{i}]", "x"))]);

        var status = GrpcErrors.ToStatus(error);

        Assert.Equal(100, status.GetDetail<BadRequest>()!.FieldViolations.Count);
    }

    [Fact]
    public void ToStatus_NoViolations_HasNoDetails()
    {
        var status = GrpcErrors.ToStatus(new ActionExecException(ActionExecErrorCode.NotFound, "gone"));

        Assert.Equal(5, status.Code);
        Assert.Equal("gone", status.Message);
        Assert.Empty(status.Details);
    }
}
