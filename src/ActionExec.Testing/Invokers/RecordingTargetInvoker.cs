using System.Collections.Concurrent;
using ActionExec.Dispatch;

namespace ActionExec.Testing;

/// <summary>
/// A target invoker for tests: it records every request in order and answers as the target's <see cref="TargetScript"/> says,
/// without a network. It serves <c>test://&lt;name&gt;</c> endpoints, and a host's real <c>http</c> and <c>https</c> targets when it
/// is registered for them (<c>UseRecordingTargetInvoker(invoker, includeHttp: true)</c>, the default of
/// <see cref="ActionExecTestHost"/>). Thread-safe.
/// </summary>
/// <example>
/// <code>
/// host.Invoker.For("audit").FailWithStatus(503).Answer("{}");
/// await host.Dispatcher.PublishEventAsync(host.Context, userAdded);
/// host.Invoker.Requests.ShouldHaveCalled("audit").Payload!["event_type"]!.GetValue&lt;string&gt;();
/// </code>
/// </example>
public sealed class RecordingTargetInvoker : ITargetInvoker
{
    /// <summary>The endpoint scheme the invoker serves: <c>test</c>.</summary>
    public const string Scheme = "test";

    private readonly ConcurrentDictionary<string, TargetScript> _scripts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<RecordedTargetRequest> _requests = [];

    /// <summary>Every request received so far, in the order received: a snapshot that later requests do not change.</summary>
    public IReadOnlyList<RecordedTargetRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>What a target without a script of its own answers; without answers, the message is left unchanged (see <see cref="TargetScript"/>).</summary>
    public TargetScript Default { get; private set; } = new();

    /// <summary>The endpoint of a test target: <c>test://&lt;name&gt;</c>.</summary>
    /// <param name="name">The target's name.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static string EndpointFor(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return $"{Scheme}://{Uri.EscapeDataString(name)}";
    }

    /// <summary>
    /// Starts a new script for a target, named by its name or its id (an id wins when both match), replacing any earlier script
    /// of that key.
    /// </summary>
    /// <param name="targetNameOrId">The target's name or id.</param>
    /// <returns>The script, to add answers to.</returns>
    /// <exception cref="ArgumentException"><paramref name="targetNameOrId"/> is null or empty.</exception>
    public TargetScript For(string targetNameOrId)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetNameOrId);
        var script = new TargetScript();
        _scripts[targetNameOrId] = script;
        return script;
    }

    /// <summary>Forgets the requests received so far; the scripts stay.</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    /// <summary>Forgets every script, the default's answers included; the requests stay.</summary>
    public void ClearScripts()
    {
        _scripts.Clear();
        Default = new TargetScript();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RecordedTargetRequest recorded;
        lock (_gate)
        {
            recorded = new RecordedTargetRequest(request, _requests.Count + 1);
            _requests.Add(recorded);
        }

        var script = _scripts.TryGetValue(request.Target.Id, out var byId) ? byId
            : _scripts.TryGetValue(request.Target.Name, out var byName) ? byName
            : Default;
        return ValueTask.FromResult(script.AnswerTo(recorded));
    }
}
