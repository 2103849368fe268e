using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>What the endpoint of a target answers, in the shapes the sender reads.</summary>
public static class ActionResults
{
    /// <summary>
    /// Answers 200 with <c>{"forwardedStatusCode": <paramref name="statusCode"/>, "forwardedErrorMessage": <paramref name="message"/>}</c>:
    /// an interrupting target's request to fail the call it intercepted with that status and message. The sender's host
    /// answers its own client with the status (a 4xx) and the message, instead of running the call.
    /// </summary>
    /// <param name="statusCode">The status the sender's host answers with; 400 to 499, as only a client error is forwarded.</param>
    /// <param name="message">The message its client sees; not null, may be empty (then the sender names the target and the status).</param>
    /// <returns>The result; for minimal APIs and controllers alike.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not from 400 to 499.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public static IResult Error(int statusCode, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (statusCode is < 400 or > 499)
        {
            throw new ArgumentOutOfRangeException(
                nameof(statusCode),
                statusCode,
                string.Create(CultureInfo.InvariantCulture, $"The status {statusCode} is not forwarded: a sender passes on only a client error; use a status from 400 to 499, such as 403 (forbidden) or 400 (invalid argument)."));
        }

        return new ForwardedErrorResult(statusCode, message);
    }
}
