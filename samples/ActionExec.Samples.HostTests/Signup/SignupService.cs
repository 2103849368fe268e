using System.Text.Json;
using ActionExec.Dispatch;

namespace ActionExec.Samples.HostTests.Signup;

/// <summary>
/// The host's own service: a signup runs the request actions of <see cref="Method"/> (which may change the request or refuse it)
/// and then publishes <see cref="SignedUpEvent"/> for the background actions.
/// </summary>
public sealed class SignupService(IActionDispatcher actions, TimeProvider time)
{
    /// <summary>The method the request actions are attached to.</summary>
    public const string Method = "/shop.v1.SignupService/Signup";

    /// <summary>The event published after a signup.</summary>
    public const string SignedUpEvent = "customer.signedup";

    /// <summary>Signs a customer up in a tenant.</summary>
    /// <returns>The new customer's id.</returns>
    /// <exception cref="Errors.ActionExecException">A request action refused the signup.</exception>
    public async Task<string> SignUpAsync(string tenantId, SignupRequest request, CancellationToken cancellationToken = default)
    {
        var context = new FlowContext(tenantId);
        var checkedRequest = await actions.RunRequestAsync(context, Method, request, SignupJson.Default.SignupRequest, cancellationToken) ?? request;

        var customerId = $"c-{time.GetUtcNow().ToUnixTimeMilliseconds()}";
        var signedUp = new CustomerSignedUp(customerId, checkedRequest.Email, checkedRequest.Name);
        await actions.PublishEventAsync(
            context,
            new ActionEvent
            {
                EventType = SignedUpEvent,
                AggregateId = customerId,
                AggregateType = "customer",
                CreatedAt = time.GetUtcNow(),
                Payload = JsonSerializer.SerializeToUtf8Bytes(signedUp, SignupJson.Default.CustomerSignedUp),
            },
            cancellationToken);
        return customerId;
    }
}
