using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore;

/// <summary>
/// Endpoint metadata that names the gRPC full method an endpoint stands for, such as <c>/demo.v1.GreeterService/SayHello</c>.
/// The middleware of <c>UseActionExecutions</c> runs the request and response flows of that method around such endpoints,
/// and leaves every other endpoint alone. Put it on a controller or an action, or add it to any endpoint with
/// <c>WithExecutionMethod</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ExecutionMethodAttribute : Attribute
{
    /// <summary>Creates the metadata.</summary>
    /// <param name="fullMethod">The gRPC full method, such as <c>/demo.v1.GreeterService/SayHello</c>; the leading <c>/</c> may be omitted.</param>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is null, empty or not a full method <c>/service/method</c>.</exception>
    public ExecutionMethodAttribute(string fullMethod)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullMethod);
        try
        {
            FullMethod = Condition.RequestMethod(fullMethod).Value!;
        }
        catch (ActionExecException exception)
        {
            throw new ArgumentException($"The execution method '{fullMethod}' is not valid: {exception.Message}", nameof(fullMethod), exception);
        }
    }

    /// <summary>The full method, with its leading <c>/</c>: the value the request and response flows match.</summary>
    public string FullMethod { get; }
}
