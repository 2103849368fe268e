using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.Dispatch;

namespace ActionExec.Testing;

/// <summary>
/// What a target answers in a test: a list of answers, one per call, the last repeated for every call after it. So
/// <c>invoker.For("audit").FailWithStatus(503).Answer("{}")</c> fails the first call with 503 and answers every later one with
/// <c>{}</c>. Thread-safe.
/// </summary>
/// <remarks>
/// A script without answers leaves the message unchanged: a call target answers with the <c>response</c> of a response flow, the
/// <c>request</c> of a request flow and an empty object in a function flow; a webhook or an async target answers 200 without a
/// body.
/// </remarks>
public sealed class TargetScript
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly List<Func<RecordedTargetRequest, TargetResponse>> _answers = [];
    private int _next;

    internal TargetScript()
    {
    }

    /// <summary>Answers 200 with a JSON body; a call target's answer replaces the message.</summary>
    /// <param name="json">The JSON body, such as <c>{"name":"Ada"}</c>.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not JSON.</exception>
    public TargetScript Answer(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var body = Encoding.UTF8.GetBytes(json);
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The answer '{json}' is not JSON ({e.Message}); give a JSON text such as {{\"name\":\"Ada\"}}, or use {nameof(Respond)} to answer with something else.", nameof(json), e);
        }

        return Add(_ => TargetResponse.Ok(body));
    }

    /// <summary>Answers 200 with a JSON body; a call target's answer replaces the message.</summary>
    /// <param name="json">The JSON body; <see langword="null"/> answers <c>null</c>.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    public TargetScript Answer(JsonNode? json)
    {
        var body = Encoding.UTF8.GetBytes(json?.ToJsonString() ?? "null");
        return Add(_ => TargetResponse.Ok(body));
    }

    /// <summary>Answers 200 with a JSON body made from the request, such as the request changed: <c>r =&gt; { var m = r.Payload!["request"]!.DeepClone(); m["checked"] = true; return m; }</c>.</summary>
    /// <param name="answer">Makes the body from the request; <see langword="null"/> answers <c>null</c>.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="answer"/> is null.</exception>
    public TargetScript Answer(Func<RecordedTargetRequest, JsonNode?> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Add(r => TargetResponse.Ok(Encoding.UTF8.GetBytes(answer(r)?.ToJsonString() ?? "null")));
    }

    /// <summary>Answers with a status that is not 2xx: the target failed (retried in the background for a 5xx or 429, as over HTTP).</summary>
    /// <param name="statusCode">The status, such as 503.</param>
    /// <param name="body">The body; optional.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> the target asks for; optional.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not from 100 to 599.</exception>
    public TargetScript FailWithStatus(int statusCode, string? body = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        var bytes = body is null ? default : Encoding.UTF8.GetBytes(body);
        return Add(_ => new TargetResponse(statusCode, bytes) { RetryAfter = retryAfter });
    }

    /// <summary>Does not answer within the target's timeout: the call fails as a timeout, at once, without waiting for the clock.</summary>
    /// <returns>This script, to add the answer to the call after.</returns>
    public TargetScript TimeOut() =>
        Add(static r => TargetResponse.Failed(TargetFailureKind.Timeout, string.Create(CultureInfo.InvariantCulture, $"no answer within its timeout of {r.Target.Timeout.TotalSeconds:0.###}s (scripted)")));

    /// <summary>Gets no answer at all, as when the connection is refused: a transport failure, retried in the background.</summary>
    /// <param name="reason">Why, as the log and a dead letter say it.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public TargetScript FailTransport(string reason = "connection refused (scripted)")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Add(_ => TargetResponse.Failed(TargetFailureKind.Transport, reason));
    }

    /// <summary>
    /// Answers 200 with <c>{"forwardedStatusCode": …, "forwardedErrorMessage": …}</c>: the target asks for its error to reach the
    /// host's caller (an interrupting target then fails the flow with that status and message).
    /// </summary>
    /// <param name="statusCode">The HTTP status to forward, such as 403.</param>
    /// <param name="message">The message to forward.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public TargetScript ForwardError(int statusCode, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["forwardedStatusCode"] = statusCode, ["forwardedErrorMessage"] = message }.ToJsonString());
        return Add(_ => TargetResponse.Ok(body));
    }

    /// <summary>Answers as the host's own invoker would: any <see cref="TargetResponse"/>, made from the request.</summary>
    /// <param name="respond">Makes the answer.</param>
    /// <returns>This script, to add the answer to the call after.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="respond"/> is null.</exception>
    public TargetScript Respond(Func<RecordedTargetRequest, TargetResponse> respond)
    {
        ArgumentNullException.ThrowIfNull(respond);
        return Add(respond);
    }

    /// <summary>Answers so that the message stays as it is (see the remarks of <see cref="TargetScript"/>).</summary>
    /// <returns>This script, to add the answer to the call after.</returns>
    public TargetScript LeaveUnchanged() => Add(Unchanged);

    internal TargetResponse AnswerTo(RecordedTargetRequest request)
    {
        Func<RecordedTargetRequest, TargetResponse> answer;
        lock (_gate)
        {
            if (_answers.Count == 0)
            {
                answer = Unchanged;
            }
            else
            {
                answer = _answers[Math.Min(_next, _answers.Count - 1)];
                _next++;
            }
        }

        return answer(request);
    }

    private static TargetResponse Unchanged(RecordedTargetRequest request)
    {
        if (request.Target.Type != Targets.TargetType.Call)
        {
            return TargetResponse.Ok();
        }

        if (request.Payload is JsonObject payload)
        {
            if (payload.TryGetPropertyValue("response", out var response))
            {
                return Echo(response);
            }

            if (payload.TryGetPropertyValue("request", out var message))
            {
                return Echo(message);
            }
        }

        return TargetResponse.Ok(EmptyObject);

        static TargetResponse Echo(JsonNode? node) => TargetResponse.Ok(Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"));
    }

    private TargetScript Add(Func<RecordedTargetRequest, TargetResponse> answer)
    {
        lock (_gate)
        {
            _answers.Add(answer);
        }

        return this;
    }
}
