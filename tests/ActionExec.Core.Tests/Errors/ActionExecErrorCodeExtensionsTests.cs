using ActionExec.Errors;

namespace ActionExec.Tests.Errors;

public sealed class ActionExecErrorCodeExtensionsTests
{
    /// <summary>Spec §10's table: code, name and HTTP status.</summary>
    public static TheoryData<int, ActionExecErrorCode, int> SpecTable => new()
    {
        { 3, ActionExecErrorCode.InvalidArgument, 400 },
        { 4, ActionExecErrorCode.DeadlineExceeded, 504 },
        { 5, ActionExecErrorCode.NotFound, 404 },
        { 6, ActionExecErrorCode.AlreadyExists, 409 },
        { 7, ActionExecErrorCode.PermissionDenied, 403 },
        { 9, ActionExecErrorCode.FailedPrecondition, 400 },
        { 13, ActionExecErrorCode.Internal, 500 },
        { 14, ActionExecErrorCode.Unavailable, 503 },
        { 16, ActionExecErrorCode.Unauthenticated, 401 },
    };

    [Theory]
    [MemberData(nameof(SpecTable))]
    public void ToHttpStatusCode_EveryCodeOfTheSpecTable_MapsToItsStatus(int number, ActionExecErrorCode code, int status)
    {
        Assert.Equal(number, (int)code);
        Assert.Equal(status, code.ToHttpStatusCode());
        Assert.Equal(status, new ActionExecException(code, "Message.").HttpStatusCode);
    }

    [Theory]
    [InlineData(ActionExecErrorCode.Ok, 200)]
    [InlineData(ActionExecErrorCode.Cancelled, 499)]
    [InlineData(ActionExecErrorCode.Unknown, 500)]
    [InlineData(ActionExecErrorCode.ResourceExhausted, 429)]
    [InlineData(ActionExecErrorCode.Aborted, 409)]
    [InlineData(ActionExecErrorCode.OutOfRange, 400)]
    [InlineData(ActionExecErrorCode.Unimplemented, 501)]
    [InlineData(ActionExecErrorCode.DataLoss, 500)]
    [InlineData((ActionExecErrorCode)99, 500)]
    public void ToHttpStatusCode_OtherCodes_MapAsGrpcGatewayDoes(ActionExecErrorCode code, int status)
    {
        Assert.Equal(status, code.ToHttpStatusCode());
    }

    [Theory]
    [InlineData(200, ActionExecErrorCode.Ok)]
    [InlineData(204, ActionExecErrorCode.Ok)]
    [InlineData(400, ActionExecErrorCode.InvalidArgument)]
    [InlineData(401, ActionExecErrorCode.Unauthenticated)]
    [InlineData(403, ActionExecErrorCode.PermissionDenied)]
    [InlineData(404, ActionExecErrorCode.NotFound)]
    [InlineData(409, ActionExecErrorCode.Aborted)]
    [InlineData(412, ActionExecErrorCode.FailedPrecondition)]
    [InlineData(429, ActionExecErrorCode.ResourceExhausted)]
    [InlineData(499, ActionExecErrorCode.Cancelled)]
    [InlineData(501, ActionExecErrorCode.Unimplemented)]
    [InlineData(502, ActionExecErrorCode.Internal)]
    [InlineData(503, ActionExecErrorCode.Unavailable)]
    [InlineData(504, ActionExecErrorCode.DeadlineExceeded)]
    [InlineData(418, ActionExecErrorCode.Unknown)]
    [InlineData(302, ActionExecErrorCode.Unknown)]
    public void FromHttpStatusCode_Status_MapsToTheCode(int status, ActionExecErrorCode code)
    {
        Assert.Equal(code, ActionExecErrorCodeExtensions.FromHttpStatusCode(status));
    }
}
