using ActionExec.Dispatch;

namespace ActionExec.Tests.Delivery;

/// <summary>One scripted answer of <see cref="ScriptedInvoker"/>.</summary>
public sealed record Answer
{
    public int Status { get; init; } = 200;

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The answer's body, when it has one.</summary>
    public string? Body { get; init; }

    public Exception? Exception { get; init; }

    /// <summary>When set, the invoker returns this failure instead of an answer.</summary>
    public TargetResponse? Failure { get; init; }

    /// <summary>When set, the call waits for it before answering.</summary>
    public TaskCompletionSource? Gate { get; init; }

    /// <summary>Whether waiting for <see cref="Gate"/> ends when the call is cancelled.</summary>
    public bool HonoursCancellation { get; init; } = true;

    public static Answer Ok { get; } = new();

    public static Answer WithStatus(int status, TimeSpan? retryAfter = null) => new() { Status = status, RetryAfter = retryAfter };

    public static Answer Throws(Exception exception) => new() { Exception = exception };

    public static Answer Fails(TargetFailureKind kind, string reason) => new() { Failure = TargetResponse.Failed(kind, reason) };

    public static Answer WaitFor(TaskCompletionSource gate, bool honoursCancellation = true) => new() { Gate = gate, HonoursCancellation = honoursCancellation };
}

/// <summary>One call <see cref="ScriptedInvoker"/> received.</summary>
public sealed record InvokerCall(string TargetName, string DeliveryId, int Attempt, DateTimeOffset At, string Payload);

/// <summary>
/// An in-process invoker for the <c>inproc</c> scheme: answers each target's calls from its script, in order (200 once the
/// script is used up), and records every call before answering.
/// </summary>
public sealed class ScriptedInvoker(TimeProvider time) : ITargetInvoker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Answer>> _scripts = new(StringComparer.Ordinal);
    private readonly List<InvokerCall> _calls = [];

    public IReadOnlyList<InvokerCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public void Script(string targetName, params Answer[] answers)
    {
        lock (_gate)
        {
            if (!_scripts.TryGetValue(targetName, out var script))
            {
                _scripts[targetName] = script = new Queue<Answer>();
            }

            foreach (var answer in answers)
            {
                script.Enqueue(answer);
            }
        }
    }

    public IReadOnlyList<InvokerCall> CallsTo(string targetName) => [.. Calls.Where(c => string.Equals(c.TargetName, targetName, StringComparison.Ordinal))];

    public async ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        Answer answer;
        lock (_gate)
        {
            _calls.Add(new InvokerCall(request.Target.Name, request.DeliveryId, request.Attempt, time.GetUtcNow(), System.Text.Encoding.UTF8.GetString(request.Payload.Span)));
            answer = _scripts.TryGetValue(request.Target.Name, out var script) && script.TryDequeue(out var next) ? next : Answer.Ok;
        }

        if (answer.Gate is { } gate)
        {
            await (answer.HonoursCancellation ? gate.Task.WaitAsync(cancellationToken) : gate.Task);
        }

        if (answer.Exception is { } exception)
        {
            throw exception;
        }

        if (answer.Failure is { } failure)
        {
            return failure;
        }

        return new TargetResponse(answer.Status, answer.Body is null ? default : System.Text.Encoding.UTF8.GetBytes(answer.Body)) { RetryAfter = answer.RetryAfter };
    }
}
