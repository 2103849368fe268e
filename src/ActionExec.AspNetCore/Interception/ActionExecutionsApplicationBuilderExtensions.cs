using ActionExec.AspNetCore;
using ActionExec.Catalog;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the interception middleware of ActionExec.</summary>
public static class ActionExecutionsApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the middleware that runs the request and response flows around endpoints marked with
    /// <see cref="ExecutionMethodAttribute"/> (or <c>WithExecutionMethod</c>). For such an endpoint it reads the JSON request body
    /// (<c>application/json</c>, at most <see cref="ActionExecutionsApiOptions.MaxRequestBodyBytes"/>), runs the request flow and
    /// gives the handler the request that came out; it buffers the handler's answer, runs the response flow on a 2xx JSON answer
    /// and writes the response that came out, with its exact Content-Length. An interrupting target failure is answered with the
    /// error body <c>{"code", "message", "details"}</c> and its status (a forwarded 4xx keeps its status and message); a failure of
    /// the request flow keeps the handler from running. The flow context comes from the <see cref="IFlowContextFactory"/>: the tenant
    /// from the <see cref="IActionTenantResolver"/>, the user id from the <c>NameIdentifier</c> or <c>sub</c> claim, the organisation
    /// and project from <c>ConfigureFlowContext</c>. Endpoints without the metadata pass through untouched.
    /// </summary>
    /// <remarks>
    /// Place it after routing and authentication, which <c>WebApplication</c> adds first unless the host places them itself:
    /// the middleware needs the selected endpoint and the user.
    /// </remarks>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The services are not registered: call <c>AddActionExecutions().AddActionExecutionsApi()</c>.</exception>
    public static IApplicationBuilder UseActionExecutions(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var interceptor = app.ApplicationServices.GetService<ExecutionInterceptor>()
            ?? throw new InvalidOperationException(
                "The actions middleware is not registered; call services.AddActionExecutions().AddActionExecutionsApi() before UseActionExecutions().");

        // Marked endpoints join the catalog; until the host starts, only the application itself knows them.
        if (app is IEndpointRouteBuilder routes && app.ApplicationServices.GetService<ICatalogMethodSource>() is EndpointExecutionMethods methods)
        {
            methods.ReadBeforeStart(routes.DataSources);
        }

        return app.Use(next => context => interceptor.InvokeAsync(context, next));
    }
}
