using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Testing;

/// <summary>
/// Describes the tenant an <see cref="ActionExecTestHost"/> starts with: its targets, its executions, the host's own service
/// registrations and anything else to set up. Each method only records; <see cref="ActionExecTestHost.StartAsync"/> applies them
/// in this order: services, ActionExec's parts, targets, executions, seeds.
/// </summary>
public sealed class ActionExecTestHostBuilder
{
    private readonly List<TargetSpec> _targets = [];
    private readonly List<(Condition Condition, ExecutionEntry[] Entries)> _executions = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<IActionExecutionsBuilder>> _actions = [];
    private readonly List<Func<IActionManagement, ManagementCaller, CancellationToken, Task>> _seeds = [];

    internal ActionExecTestHostBuilder()
    {
    }

    internal string TenantId { get; private set; } = ActionExecTestHost.DefaultTenantId;

    internal DateTimeOffset? StartTime { get; private set; }

    internal bool AnswersHttp { get; private set; } = true;

    internal IReadOnlyList<TargetSpec> Targets => _targets;

    internal IReadOnlyList<(Condition Condition, ExecutionEntry[] Entries)> Executions => _executions;

    internal IReadOnlyList<Action<IServiceCollection>> ServiceRegistrations => _services;

    internal IReadOnlyList<Action<IActionExecutionsBuilder>> ActionRegistrations => _actions;

    internal IReadOnlyList<Func<IActionManagement, ManagementCaller, CancellationToken, Task>> Seeds => _seeds;

    /// <summary>Sets the tenant the targets and executions are created in, and whose <see cref="ActionExecTestHost.Context"/> flows run for.</summary>
    /// <param name="tenantId">The tenant id; the default is <see cref="ActionExecTestHost.DefaultTenantId"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is null or empty.</exception>
    public ActionExecTestHostBuilder Tenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        TenantId = tenantId;
        return this;
    }

    /// <summary>Sets the time the host's clock starts at; the default is <c>FakeTimeProvider</c>'s (2000-01-01 UTC).</summary>
    /// <param name="start">The start time.</param>
    /// <returns>This builder.</returns>
    public ActionExecTestHostBuilder StartingAt(DateTimeOffset start)
    {
        StartTime = start;
        return this;
    }

    /// <summary>Defines a target at <c>test://&lt;name&gt;</c>, answered by <see cref="ActionExecTestHost.Invoker"/>.</summary>
    /// <param name="name">The target's name, unique in the tenant; executions and scripts name it.</param>
    /// <param name="type">Webhook, call or async.</param>
    /// <param name="interruptOnError">Whether a failure of this target ends the flow (ignored for async targets).</param>
    /// <param name="timeout">The target's timeout; 10 seconds by default.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public ActionExecTestHostBuilder Target(string name, TargetType type, bool interruptOnError = false, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Target(new TargetSpec
        {
            Name = name,
            Endpoint = RecordingTargetInvoker.EndpointFor(name),
            Type = type,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            InterruptOnError = interruptOnError,
        });
    }

    /// <summary>
    /// Defines a target as the host does, such as one with an <c>https</c> endpoint: the recording invoker answers it unless
    /// <see cref="KeepHttpInvoker"/> was called, so nothing goes out to the network.
    /// </summary>
    /// <param name="spec">The target's definition.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public ActionExecTestHostBuilder Target(TargetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _targets.Add(spec);
        return this;
    }

    /// <summary>Sets an execution whose targets are the named targets defined on this builder, in order.</summary>
    /// <param name="condition">The condition, such as <c>Condition.RequestMethod("/pkg.v1.Service/Method")</c>.</param>
    /// <param name="targetNames">The targets' names (or ids of targets the host's own setup created).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> or <paramref name="targetNames"/> is null.</exception>
    /// <exception cref="ArgumentException">A name is null or empty.</exception>
    public ActionExecTestHostBuilder Execution(Condition condition, params string[] targetNames)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(targetNames);
        var entries = new ExecutionEntry[targetNames.Length];
        for (var i = 0; i < targetNames.Length; i++)
        {
            ArgumentException.ThrowIfNullOrEmpty(targetNames[i], nameof(targetNames));
            entries[i] = ExecutionEntry.ForTarget(targetNames[i]);
        }

        _executions.Add((condition, entries));
        return this;
    }

    /// <summary>
    /// Sets an execution from entries: <c>ExecutionEntry.ForTarget("audit")</c> names a target defined on this builder (its id is
    /// filled in), <c>ExecutionEntry.ForInclude(condition)</c> includes another execution.
    /// </summary>
    /// <param name="condition">The condition.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> or <paramref name="entries"/> is null, or holds null.</exception>
    public ActionExecTestHostBuilder Execution(Condition condition, params ExecutionEntry[] entries)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }

        _executions.Add((condition, [.. entries]));
        return this;
    }

    /// <summary>
    /// Adds the host's own registrations, such as the services under test, its catalog or its <c>AddActionExecutions(configuration)</c>.
    /// They run first; the test host then registers its clock, the recording invoker and inline delivery over them.
    /// </summary>
    /// <param name="configure">Registers services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public ActionExecTestHostBuilder Services(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _services.Add(configure);
        return this;
    }

    /// <summary>Configures ActionExec's parts: <c>a =&gt; a.AddCatalog(…)</c>, <c>a.ConfigureDelivery(…)</c>, a host's own invoker.</summary>
    /// <param name="configure">Configures the builder that <c>AddActionExecutions</c> returns.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public ActionExecTestHostBuilder Actions(Action<IActionExecutionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _actions.Add(configure);
        return this;
    }

    /// <summary>
    /// Runs the host's own setup once the host has started and the builder's targets and executions exist, such as the code that
    /// creates the host's configured targets and executions in production.
    /// </summary>
    /// <param name="seed">Creates targets and executions through management, as the tenant's caller.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="seed"/> is null.</exception>
    public ActionExecTestHostBuilder Seed(Func<IActionManagement, ManagementCaller, CancellationToken, Task> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        _seeds.Add(seed);
        return this;
    }

    /// <summary>
    /// Leaves <c>http</c> and <c>https</c> endpoints to the built-in HTTP invoker, which then makes real calls under the endpoint
    /// policy; by default the recording invoker answers them.
    /// </summary>
    /// <returns>This builder.</returns>
    public ActionExecTestHostBuilder KeepHttpInvoker()
    {
        AnswersHttp = false;
        return this;
    }
}
