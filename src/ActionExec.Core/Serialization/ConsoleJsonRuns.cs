using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.TestConsole;

namespace ActionExec.Serialization;

/// <summary>The console's JSON entry point, for the HTTP handler: the wire format stays here, the console knows only its models.</summary>
internal static class ConsoleJsonRuns
{
    /// <summary>
    /// Runs the target or execution <paramref name="actionId"/> names against the request in <paramref name="utf8Json"/> and
    /// returns the answer as JSON: <c>{"statusCode", "headers", "body"}</c>, plus <c>"trace"</c> for a chain. The permission and
    /// the feature are checked before the body is read, so a caller without them learns nothing about its input.
    /// </summary>
    /// <exception cref="ActionExecException">As <see cref="IActionTestConsole.ExecuteAsync"/>, with every violation of the body and its field.</exception>
    public static async ValueTask<byte[]> ExecuteJsonAsync(this ActionTestConsole console, ManagementCaller caller, string actionId, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(actionId);
        await console.AuthorizeAsync(caller, cancellationToken).ConfigureAwait(false);
        var request = ActionExecJson.ReadConsoleRequest(utf8Json.Span);
        var response = await console.RunAsync(caller, actionId, request, cancellationToken).ConfigureAwait(false);
        return ActionExecJson.WriteConsoleResponse(response);
    }
}
