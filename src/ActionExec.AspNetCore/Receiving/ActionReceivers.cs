using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActionExec.AspNetCore.Receiving;

/// <summary>
/// The receivers registered with <c>AddActionReceiver</c>, compiled from their options on first use and again after the options
/// change (a reloaded configuration with a rotated key, for example).
/// </summary>
internal sealed class ActionReceivers : IDisposable
{
    private readonly ConcurrentDictionary<string, ActionReceiver> _compiled = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<ActionReceiverOptions> _options;
    private readonly TimeProvider _time;
    private readonly IActionReplayCache _replays;
    private readonly ILogger<ActionReceiver> _logger;
    private readonly IHttpClientFactory _clients;
    private readonly IDisposable? _changes;

    public ActionReceivers(IOptionsMonitor<ActionReceiverOptions> options, TimeProvider time, IActionReplayCache replays, IHttpClientFactory clients, ILogger<ActionReceiver> logger)
    {
        _clients = clients;
        _options = options;
        _time = time;
        _replays = replays;
        _logger = logger;
        _changes = options.OnChange((_, name) => _compiled.TryRemove(name ?? Options.DefaultName, out ActionReceiver? _));
    }

    public Task HandleAsync(string name, HttpContext context, RequestDelegate next) =>
        _compiled.GetOrAdd(name, Compile).HandleAsync(context, next);

    public void Dispose() => _changes?.Dispose();

    private ActionReceiver Compile(string name) => new(name, _options.Get(name), _time, _replays, _clients, _logger);
}
