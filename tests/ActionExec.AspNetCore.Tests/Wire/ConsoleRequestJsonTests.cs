using System.Text.Json;
using ActionExec.Errors;
using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ConsoleRequestJsonTests
{
    [Fact]
    public void ReadConsoleRequest_FullBody_ReadsEveryPart()
    {
        var request = ActionExecJson.ReadConsoleRequest(Utf8(
            """{"method":"PATCH","uriFragments":"id=1","parameters":"page=2&q=x+y","headers":"Content-Type=application/json","body":{"a":[1,2]}}"""));

        Assert.Equal("PATCH", request.Method);
        Assert.Equal(["id=1"], request.UriFragments.Select(p => p.Key + "=" + p.Value));
        Assert.Equal(["page=2", "q=x y"], request.Parameters.Select(p => p.Key + "=" + p.Value));
        Assert.Equal(["Content-Type=application/json"], request.Headers.Select(p => p.Key + "=" + p.Value));
        Assert.Equal("""{"a":[1,2]}""", request.Body.GetRawText());
    }

    [Fact]
    public void ReadConsoleRequest_OnlyTheMethod_HasEmptyMapsAndAnUndefinedBody()
    {
        var request = ActionExecJson.ReadConsoleRequest(Utf8("""{"method":"GET"}"""));

        Assert.Empty(request.UriFragments);
        Assert.Empty(request.Parameters);
        Assert.Empty(request.Headers);
        Assert.Equal(JsonValueKind.Undefined, request.Body.ValueKind);
    }

    [Fact]
    public void ReadConsoleRequest_NullsForEveryOptionalPart_AreEmptyMapsAndANullBody()
    {
        var request = ActionExecJson.ReadConsoleRequest(Utf8("""{"method":"GET","uriFragments":null,"parameters":null,"headers":null,"body":null}"""));

        Assert.Empty(request.UriFragments);
        Assert.Empty(request.Parameters);
        Assert.Empty(request.Headers);
        Assert.Equal(JsonValueKind.Null, request.Body.ValueKind);
    }

    [Fact]
    public void ReadConsoleRequest_MethodMissingAndStringsMalformed_ListsEveryViolationInFieldOrder()
    {
        Invalid(
            () => ActionExecJson.ReadConsoleRequest(Utf8("""{"uriFragments":"=1","parameters":"a","headers":"X=%zz"}""")),
            ("method", "The method is missing; give one of GET, POST, PUT, PATCH or DELETE."),
            ("uriFragments", "The pair '=1' has no name; write it as name=value."),
            ("parameters", "The pair 'a' has no '='; write it as name=value, or name= for an empty value."),
            ("headers", "The pair 'X=%zz' has the invalid escape '%zz'; write '%' followed by two hexadecimal digits, and a literal '%' as %25."));
    }

    [Fact]
    public void ReadConsoleRequest_UnknownProperty_FailsNamingTheKnownOnes()
    {
        Invalid(
            () => ActionExecJson.ReadConsoleRequest(Utf8("""{"method":"GET","query":"a=1"}""")),
            ("query", "The property 'query' is not known here; use 'method', 'uriFragments', 'parameters', 'headers' or 'body'."));
    }

    [Theory]
    [InlineData("""{"method":"GET","parameters":{"page":"2"}}""", "parameters", "The property 'parameters' must be a string.")]
    [InlineData("""{"method":7}""", "method", "The property 'method' must be a string.")]
    [InlineData("[]", "", "The body must be a JSON object.")]
    public void ReadConsoleRequest_WrongJsonType_FailsOnItsPath(string json, string field, string description)
    {
        Invalid(() => ActionExecJson.ReadConsoleRequest(Utf8(json)), (field, description));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"method":"GET",""")]
    public void ReadConsoleRequest_NotJson_IsInvalidArgument(string body)
    {
        var error = Assert.Throws<ActionExecException>(() => ActionExecJson.ReadConsoleRequest(Utf8(body)));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("", Assert.Single(error.Violations).Field);
    }
}
