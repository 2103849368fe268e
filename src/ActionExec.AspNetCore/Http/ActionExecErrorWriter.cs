using ActionExec.Errors;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore;

/// <summary>
/// Answers a request with an <see cref="ActionExecException"/> the way the management API and the interception middleware do,
/// for a host's own endpoints that call the dispatcher: the HTTP status of the error's code and the gRPC-gateway error body
/// <c>{"code", "message", "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": […]}]}</c>.
/// </summary>
public static class ActionExecErrorWriter
{
    /// <summary>Writes <paramref name="error"/> as the response: its <see cref="ActionExecException.HttpStatusCode"/>, JSON content type and error body.</summary>
    /// <param name="context">The request to answer; its response must not have started.</param>
    /// <param name="error">The error.</param>
    /// <returns>A task that completes when the body is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="error"/> is null.</exception>
    public static Task WriteAsync(HttpContext context, ActionExecException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        return HttpJson.WriteErrorAsync(context, error);
    }
}
