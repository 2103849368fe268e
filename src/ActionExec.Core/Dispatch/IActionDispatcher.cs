using System.Text.Json.Nodes;
using ActionExec.Errors;

namespace ActionExec.Dispatch;

/// <summary>
/// What a host calls at its four points: where a request arrives (<see cref="RunRequestAsync"/>), a response leaves
/// (<see cref="RunResponseAsync"/>), a function runs (<see cref="RunFunctionAsync"/>) and an event is written
/// (<see cref="PublishEventAsync"/>). Each finds the execution that applies and runs its flattened targets in order: webhooks
/// are awaited, calls are awaited and replace the message, async targets are queued. An interrupting failure surfaces as an
/// <see cref="ActionExecException"/>.
/// </summary>
/// <remarks>
/// Registered by <c>AddActionExecutions</c>. Host code that calls it can be unit-tested with a substitute of this interface.
/// The overloads on <see cref="JsonNode"/>, <see cref="System.Text.Json.JsonElement"/> and typed messages are extension methods
/// in <see cref="ActionDispatcherExtensions"/>, each over one of these members.
/// </remarks>
public interface IActionDispatcher
{
    /// <summary>Runs the request flow of a method and returns the request the handler should see.</summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method, such as <c>/pkg.v1.Service/Method</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The request, replaced by each call target in turn; <paramref name="request"/> itself when nothing replaced it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c> (the leading <c>/</c> may be left out).</exception>
    /// <exception cref="ActionExecException">An interrupting target failed: <see cref="ActionExecErrorCode.DeadlineExceeded"/> for a timeout, the forwarded status for a forwarded 4xx, otherwise <see cref="ActionExecErrorCode.FailedPrecondition"/>.</exception>
    ValueTask<FlowMessage> RunRequestAsync(FlowContext context, string fullMethod, FlowMessage request, CancellationToken cancellationToken = default);

    /// <summary>Runs the response flow of a method and returns the response the client should see.</summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="fullMethod">The gRPC full method.</param>
    /// <param name="request">The request the handler saw (sent along as <c>request</c>).</param>
    /// <param name="response">The response message.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The response, replaced by each call target in turn; <paramref name="response"/> itself when nothing replaced it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="fullMethod"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fullMethod"/> is empty or not of the form <c>/pkg.v1.Service/Method</c> (the leading <c>/</c> may be left out).</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    ValueTask<FlowMessage> RunResponseAsync(FlowContext context, string fullMethod, FlowMessage request, FlowMessage response, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a function flow: each call target receives <c>{"function": "function/&lt;name&gt;", …hostContext, "response": …}</c>
    /// and answers with a JSON object that is shallow-merged into the result (later targets overwrite top-level properties).
    /// </summary>
    /// <param name="context">Tenant, ids and headers.</param>
    /// <param name="function">The function name, such as <c>preaccesstoken</c>.</param>
    /// <param name="hostContext">Properties sent to every target at the top level of the payload; optional.</param>
    /// <param name="cancellationToken">Cancels the flow.</param>
    /// <returns>The merged result; an empty object when no execution applies.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="function"/> is empty, or holds whitespace or control characters.</exception>
    /// <exception cref="ActionExecException">An interrupting target failed.</exception>
    ValueTask<JsonObject> RunFunctionAsync(FlowContext context, string function, JsonObject? hostContext = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a domain event: when an execution applies, one background delivery is queued that calls its targets in
    /// order with ZITADEL's event payload. Returns once the delivery is queued; targets never change or stop the host's write.
    /// </summary>
    /// <param name="context">The tenant (sent as <c>instanceID</c>).</param>
    /// <param name="actionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the wait for a place in the queue.</param>
    /// <returns>A task that completes when the delivery is queued (or no execution applies).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> or <paramref name="actionEvent"/> is null.</exception>
    /// <exception cref="ArgumentException">The event type is empty or not a dotted name such as <c>user.human.added</c>.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the delivery queue stays full.</exception>
    ValueTask PublishEventAsync(FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken = default);
}
