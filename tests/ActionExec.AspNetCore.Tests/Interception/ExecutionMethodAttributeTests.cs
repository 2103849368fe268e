using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ActionExec.AspNetCore.Tests.Interception;

public sealed class ExecutionMethodAttributeTests
{
    [Theory]
    [InlineData("/demo.v1.GreeterService/SayHello")]
    [InlineData("demo.v1.GreeterService/SayHello")]
    public void Constructor_FullMethod_KeepsItWithItsLeadingSlash(string method)
    {
        Assert.Equal("/demo.v1.GreeterService/SayHello", new ExecutionMethodAttribute(method).FullMethod);
    }

    [Fact]
    public void Constructor_NotAFullMethod_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ExecutionMethodAttribute("demo.v1.GreeterService"));

        Assert.Equal("fullMethod", exception.ParamName);
        Assert.StartsWith("The execution method 'demo.v1.GreeterService' is not valid: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ExecutionMethodAttribute(""));
    }

    [Fact]
    public void WithExecutionMethod_Endpoint_AddsTheMetadata()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();
        app.MapGet("/a", () => "a").WithExecutionMethod("demo.v1.GreeterService/SayHello");
        app.MapGet("/b", () => "b");

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).Cast<RouteEndpoint>().ToList();

        var marked = Assert.Single(endpoints, e => e.Metadata.GetMetadata<ExecutionMethodAttribute>() is not null);
        Assert.Equal("/a", marked.RoutePattern.RawText);
        Assert.Equal("/demo.v1.GreeterService/SayHello", marked.Metadata.GetMetadata<ExecutionMethodAttribute>()!.FullMethod);
    }

    [Fact]
    public void WithExecutionMethod_InvalidMethod_ThrowsWhenMapped()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        Assert.Throws<ArgumentException>(() => app.MapGet("/a", () => "a").WithExecutionMethod("not a method"));
    }
}
