using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Tests.Interception;

/// <summary>Host endpoints that count their calls and record the bodies they read.</summary>
public sealed class Greeter
{
    public const string Method = "/demo.v1.GreeterService/SayHello";

    private readonly List<string> _bodies = [];
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The request bodies the handlers read, in order.</summary>
    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (_bodies)
            {
                return [.. _bodies];
            }
        }
    }

    /// <summary>
    /// <c>POST /greet</c> (marked) and <c>POST /plain</c> (not marked) answer <c>{"message":"Hello &lt;name&gt;"}</c> in two
    /// flushed writes, so that an unbuffered answer is chunked. <c>GET /hello</c> (marked) answers without reading a body,
    /// <c>POST /missing</c> (marked) answers 404 with JSON and <c>POST /text</c> (marked) answers text.
    /// </summary>
    public void Map(WebApplication app)
    {
        app.MapPost("/greet", GreetAsync).WithExecutionMethod(Method);
        app.MapPost("/plain", GreetAsync);
        app.MapGet("/hello", (HttpContext _) =>
        {
            Interlocked.Increment(ref _calls);
            return Results.Text("""{"message":"Hello"}""", "application/json");
        }).WithExecutionMethod(Method);
        app.MapPost("/missing", (HttpContext _) =>
        {
            Interlocked.Increment(ref _calls);
            return Results.Text("""{"error":"no such greeting"}""", "application/json", statusCode: 404);
        }).WithExecutionMethod(Method);
        app.MapPost("/text", (HttpContext _) =>
        {
            Interlocked.Increment(ref _calls);
            return Results.Text("Hello", "text/plain");
        }).WithExecutionMethod(Method);
    }

    private async Task GreetAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        lock (_bodies)
        {
            _bodies.Add(body);
        }

        var name = (string?)JsonNode.Parse(body)?["name"];
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"message":""");
        await context.Response.Body.FlushAsync();
        await context.Response.WriteAsync(JsonValue.Create("Hello " + name).ToJsonString() + "}");
    }
}
