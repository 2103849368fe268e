using System.Collections.Frozen;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Testing;

/// <summary>
/// A configured tenant in memory, in one line: ActionExec with its defaults, the host's own registrations, a
/// <see cref="RecordingTargetInvoker"/> that answers every target, inline delivery (an event's targets are called before
/// <c>PublishEventAsync</c> returns) and a <see cref="FakeTimeProvider"/> that moves only when the test moves it.
/// </summary>
/// <example>
/// <code>
/// await using var host = await ActionExecTestHost.StartAsync(b =&gt; b
///     .Target("audit", TargetType.Webhook)
///     .Execution(Condition.RequestMethod("/pkg.v1.Users/Add"), "audit"));
/// await host.Dispatcher.RunRequestAsync(host.Context, "/pkg.v1.Users/Add", JsonNode.Parse("""{"name":"Ada"}"""));
/// host.Invoker.Requests.ShouldHaveCalledOnce("audit");
/// </code>
/// </example>
public sealed class ActionExecTestHost : IAsyncDisposable
{
    /// <summary>The tenant a test host uses unless told otherwise: <c>test-tenant</c>.</summary>
    public const string DefaultTenantId = "test-tenant";

    private readonly IHost _host;
    private readonly DeliveryWorker _worker;
    private int _disposed;

    private ActionExecTestHost(IHost host, string tenantId, RecordingTargetInvoker invoker, FakeTimeProvider time)
    {
        _host = host;
        _worker = host.Services.GetRequiredService<DeliveryWorker>();
        TenantId = tenantId;
        Invoker = invoker;
        Time = time;
        Context = new FlowContext(tenantId);
        Caller = ManagementCaller.ForHost(tenantId);
        Dispatcher = host.Services.GetRequiredService<IActionDispatcher>();
        Management = host.Services.GetRequiredService<IActionManagement>();
    }

    /// <summary>The host's services, including the host's own registrations.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>What the host calls at its four points.</summary>
    public IActionDispatcher Dispatcher { get; }

    /// <summary>Targets and executions, to change them during a test.</summary>
    public IActionManagement Management { get; }

    /// <summary>Answers every target as scripted and records every request.</summary>
    public RecordingTargetInvoker Invoker { get; }

    /// <summary>The clock of everything in the host: target timeouts, retries, ages and dates. It moves only when the test moves it.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The tenant's id.</summary>
    public string TenantId { get; }

    /// <summary>A flow context for the tenant, without org, project, user or headers; add them with <c>host.Context with { UserId = "u1" }</c>.</summary>
    public FlowContext Context { get; }

    /// <summary>The tenant's management caller, the host's own (<c>ManagementCaller.ForHost</c>): it holds every permission.</summary>
    public ManagementCaller Caller { get; }

    /// <summary>The ids of the targets the builder defined, by name.</summary>
    public IReadOnlyDictionary<string, string> TargetIds { get; private set; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Starts a host for the tenant that <paramref name="configure"/> describes; every option is validated as a real host's.</summary>
    /// <param name="configure">Defines targets, executions and the host's own registrations; optional.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host; dispose it.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options or the catalog are invalid.</exception>
    /// <exception cref="Errors.ActionExecException">A target or an execution was rejected, such as an execution naming a target that was not defined.</exception>
    public static async Task<ActionExecTestHost> StartAsync(Action<ActionExecTestHostBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var description = new ActionExecTestHostBuilder();
        configure?.Invoke(description);

        var time = description.StartTime is { } start ? new FakeTimeProvider(start) : new FakeTimeProvider();
        var invoker = new RecordingTargetInvoker();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var services = builder.Services;
        services.AddLogging();
        foreach (var register in description.ServiceRegistrations)
        {
            register(services);
        }

        var actions = services.AddActionExecutions();
        foreach (var register in description.ActionRegistrations)
        {
            register(actions);
        }

        // Over whatever the host registered: the test's clock, its invoker and deliveries made before the call returns.
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        services.TryAddSingleton(time);
        actions.UseInlineDelivery().UseRecordingTargetInvoker(invoker, includeHttp: description.AnswersHttp);
        if (description.AnswersHttp)
        {
            // The recording invoker answers http and https; should anything still reach the HTTP client, it may connect nowhere.
            actions.AddHttpTargets(static o =>
            {
                o.DeniedNetworks.Add("0.0.0.0/0");
                o.DeniedNetworks.Add("::/0");
            });
        }

        var host = builder.Build();
        var testHost = new ActionExecTestHost(host, description.TenantId, invoker, time);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await testHost.SetUpAsync(description, cancellationToken).ConfigureAwait(false);
            return testHost;
        }
        catch
        {
            await testHost.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Moves the clock forward and delivers what became due: a retry scheduled for 5 seconds after a failed attempt is made by
    /// <c>AdvanceAsync(TimeSpan.FromSeconds(5))</c>. Target timeouts and the maximum age are measured on the same clock.
    /// </summary>
    /// <param name="by">How far to move the clock; not negative.</param>
    /// <param name="cancellationToken">Cancels the wait for a delivery in progress.</param>
    /// <returns>A task that completes when nothing more is due.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Time.Advance(by);
        return DeliverDueAsync(cancellationToken);
    }

    /// <summary>Delivers every background delivery that is due now, without moving the clock.</summary>
    /// <param name="cancellationToken">Cancels the wait for a delivery in progress.</param>
    /// <returns>A task that completes when nothing more is due.</returns>
    public Task DeliverDueAsync(CancellationToken cancellationToken = default) => _worker.DeliverDueAsync(cancellationToken);

    /// <summary>The id of a target the builder defined.</summary>
    /// <param name="name">The target's name.</param>
    /// <returns>Its id.</returns>
    /// <exception cref="ArgumentException">No target of that name was defined on the builder.</exception>
    public string TargetId(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return TargetIds.TryGetValue(name, out var id)
            ? id
            : throw new ArgumentException($"No target named '{name}' was defined on the test host's builder; define it with Target(\"{name}\", …). Defined: {string.Join(", ", TargetIds.Keys.Order(StringComparer.Ordinal))}.", nameof(name));
    }

    /// <summary>Stops the host: what is still scheduled for a retry is reported as a dead letter, as at a real shutdown.</summary>
    /// <returns>A task that completes when the host is stopped and disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _host.Dispose();
            }
        }
    }

    private async Task SetUpAsync(ActionExecTestHostBuilder description, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in description.Targets)
        {
            var created = await Management.CreateTargetAsync(Caller, spec, cancellationToken).ConfigureAwait(false);
            ids[spec.Name] = created.Target.Id;
        }

        TargetIds = ids.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var (condition, entries) in description.Executions)
        {
            var resolved = new ExecutionEntry[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                var entry = entries[i];
                resolved[i] = entry.Kind == ExecutionEntryKind.Target && ids.TryGetValue(entry.TargetId!, out var id) ? ExecutionEntry.ForTarget(id) : entry;
            }

            await Management.SetExecutionAsync(Caller, condition, resolved, cancellationToken).ConfigureAwait(false);
        }

        foreach (var seed in description.Seeds)
        {
            await seed(Management, Caller, cancellationToken).ConfigureAwait(false);
        }
    }
}
