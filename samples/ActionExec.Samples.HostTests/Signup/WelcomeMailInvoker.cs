using System.Text.Json;
using ActionExec.Dispatch;

namespace ActionExec.Samples.HostTests.Signup;

/// <summary>
/// The host's own target invoker, for <c>inproc://welcome-mail</c>: a target that runs in the host's process instead of over
/// HTTP. It reads the <c>customer.signedup</c> event's payload and sends the welcome mail; a mailer that fails is a transport
/// failure, which background delivery retries.
/// </summary>
public sealed class WelcomeMailInvoker(IMailer mailer) : ITargetInvoker
{
    /// <summary>The endpoint scheme this invoker serves.</summary>
    public const string Scheme = "inproc";

    /// <summary>Sends the welcome mail for one event delivery.</summary>
    public async ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Endpoint.Host, "welcome-mail", StringComparison.OrdinalIgnoreCase))
        {
            return TargetResponse.Failed(TargetFailureKind.Denied, $"no in-process target is called '{request.Endpoint.Host}'");
        }

        using var payload = JsonDocument.Parse(request.Payload);
        if (!payload.RootElement.TryGetProperty("event_payload", out var body))
        {
            return new TargetResponse(400);
        }

        var signedUp = body.Deserialize(SignupJson.Default.CustomerSignedUp);
        if (signedUp is null)
        {
            return new TargetResponse(400);
        }

        try
        {
            await mailer.SendAsync(signedUp.Email, $"Welcome, {signedUp.Name}!", cancellationToken);
        }
        catch (IOException e)
        {
            return TargetResponse.Failed(TargetFailureKind.Transport, $"the mail server did not take the mail: {e.Message}");
        }

        return TargetResponse.Ok();
    }
}
