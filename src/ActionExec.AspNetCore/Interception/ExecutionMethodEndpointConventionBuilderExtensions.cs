using ActionExec.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Marks endpoints for the interception middleware of <c>UseActionExecutions</c>.</summary>
public static class ExecutionMethodEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ExecutionMethodAttribute"/> metadata to the endpoints of <paramref name="builder"/>, so that the request and
    /// response flows of <paramref name="fullMethod"/> run around them. Works for minimal APIs, route groups and controllers.
    /// </summary>
    /// <typeparam name="TBuilder">The convention builder type.</typeparam>
    /// <param name="builder">The endpoint, group or controller builder.</param>
    /// <param name="fullMethod">The gRPC full method, such as <c>/demo.v1.GreeterService/SayHello</c>; the leading <c>/</c> may be omitted.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is null, empty or not a full method <c>/service/method</c>.</exception>
    public static TBuilder WithExecutionMethod<TBuilder>(this TBuilder builder, string fullMethod)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new ExecutionMethodAttribute(fullMethod));
    }
}
