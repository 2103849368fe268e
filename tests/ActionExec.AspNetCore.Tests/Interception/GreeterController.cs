using Microsoft.AspNetCore.Mvc;

namespace ActionExec.AspNetCore.Tests.Interception;

/// <summary>A controller whose action is marked with the attribute.</summary>
[ApiController]
public sealed class GreeterController : ControllerBase
{
    public sealed record Greeting(string Name);

    public sealed record Reply(string Message);

    [HttpPost("/controller/greet")]
    [ExecutionMethod(Greeter.Method)]
    public Reply Greet([FromBody] Greeting greeting) => new("Hello " + greeting.Name);
}
