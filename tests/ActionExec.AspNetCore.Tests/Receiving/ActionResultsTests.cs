using System.Text;
using ActionExec.AspNetCore.Receiving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.AspNetCore.Tests.Receiving;

public sealed class ActionResultsTests
{
    [Fact]
    public async Task Error_ClientStatus_Answers200WithTheForwardedFields()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ActionResults.Error(403, "Ann may not \"sign in\".").ExecuteAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("""{"forwardedStatusCode":403,"forwardedErrorMessage":"Ann may not \u0022sign in\u0022."}""", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(399)]
    [InlineData(500)]
    public void Error_NotAClientStatus_ThrowsNamingTheRange(int status)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ActionResults.Error(status, "no"));

        Assert.Equal("statusCode", error.ParamName);
        Assert.Contains("400 to 499", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(499)]
    public void Error_ClientStatusAtTheBounds_Forwarded(int status) =>
        Assert.Equal(status, Assert.IsType<ForwardedErrorResult>(ActionResults.Error(status, "no")).ForwardedStatusCode);

    [Fact]
    public void Error_NullMessage_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ActionResults.Error(400, null!));
}
