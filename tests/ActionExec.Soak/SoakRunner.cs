using System.Diagnostics;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.PostgreSql.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActionExec.Soak;

/// <summary>
/// The soak: for a bounded time, at once, lookups on every core checked against a naive expectation, a writer changing the
/// executions and targets being read, request flows against loopback targets (a share of them faulty), and events through
/// background delivery; then it drains, stops the host and prints one line of figures. Exit code 0 when no answer was wrong,
/// no delivery was lost and nothing failed unexpectedly; 1 otherwise; 2 for arguments it does not understand.
/// </summary>
internal static class SoakRunner
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadArguments = 2;

    private const string MatchTenant = "soak-match";
    private const string FlowTenant = "soak-flows";
    private const int FlowConcurrency = 16;
    private const int Publishers = 2;

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var options = SoakOptions.Parse(args, out var error);
        if (options is null)
        {
            await errors.WriteLineAsync(error);
            return BadArguments;
        }

        var counters = new SoakCounters();
        UnhandledExceptionEventHandler onUnhandled = (_, e) => counters.AddUnhandled($"process: {e.ExceptionObject}");
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => counters.AddUnhandled($"unobserved task: {e.Exception.GetBaseException().Message}");
        AppDomain.CurrentDomain.UnhandledException += onUnhandled;
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var figures = await SoakAsync(options, counters, cancellationToken);
            await output.WriteLineAsync(figures.ToString());
            foreach (var problem in counters.Problems)
            {
                await errors.WriteLineAsync(problem);
            }

            return figures.Passed ? Success : Failure;
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }
    }

    private static async Task<SoakFigures> SoakAsync(SoakOptions options, SoakCounters counters, CancellationToken cancellationToken)
    {
        if (!options.Postgres)
        {
            return await SoakAsync(options, counters, database: null, cancellationToken);
        }

        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            return await SoakAsync(options, counters, server.ConnectionString, cancellationToken);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<SoakFigures> SoakAsync(SoakOptions options, SoakCounters counters, string? database, CancellationToken cancellationToken)
    {
        await using var targets = await SoakTargets.StartAsync();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(new ErrorCountingLoggerProvider(counters));
        var actions = builder.Services.AddActionExecutions();
        if (database is not null)
        {
            builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
            actions.AddPostgreSql(database, static o => o.Schema = "soak");
        }

        var expiry = new ExpiryCounter();
        actions.AddDeadLetterObserver(expiry);
        actions.AddHttpTargets(static o => o.AllowLoopback()).ConfigureDelivery(o =>
        {
            o.RetrySchedule = [TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)];
            o.MaxAge = TimeSpan.FromSeconds(2);
            o.Capacity = 2000;
            o.EnqueueTimeout = TimeSpan.FromMilliseconds(50);
            o.Workers = 8;
            o.DrainTimeout = TimeSpan.FromSeconds(5);
        });
        CountDeliveries(builder.Services);
        using var host = builder.Build();
        var services = host.Services;
        var management = services.GetRequiredService<IActionManagement>();
        var dispatcher = services.GetRequiredService<IActionDispatcher>();
        var engine = services.GetRequiredService<ActionEngine>();
        var queue = services.GetRequiredService<CountingDeliveryQueue>();
        var worker = services.GetRequiredService<DeliveryWorker>();

        var writer = new MutationLoad(management, engine, ManagementCaller.ForHost(MatchTenant), counters);
        await writer.SeedAsync();
        await BindFlowTenantAsync(management, targets);
        await host.StartAsync(cancellationToken);

        var flowContext = new FlowContext(FlowTenant);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var running = new[]
        {
            new MatchingLoad(engine, MatchTenant, counters).RunAsync(Environment.ProcessorCount, stop.Token),
            writer.RunAsync(stop.Token),
            new FlowLoad(dispatcher, flowContext, counters).RunAsync(FlowConcurrency, stop.Token),
            new EventLoad(dispatcher, flowContext, counters).RunAsync(Publishers, stop.Token),
        };
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(running);
        var elapsed = clock.Elapsed;

        // Whatever is still queued is retried or expires within the short maximum age; then shutdown reports the rest.
        var draining = Stopwatch.StartNew();
        while (await queue.CountAsync(CancellationToken.None) > 0 && draining.Elapsed < DrainLimit)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        await host.StopAsync(CancellationToken.None);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        using var process = Process.GetCurrentProcess();
        return new SoakFigures
        {
            Postgres = database is not null,
            Seconds = elapsed.TotalSeconds,
            Lookups = counters.Lookups,
            Flows = counters.Flows,
            Mutations = counters.Mutations,
            RejectedMutations = counters.RejectedMutations,
            Enqueued = queue.Enqueued,
            Delivered = worker.Statistics.Delivered,
            DeadLettered = worker.Statistics.DeadLettered,
            Expired = expiry.Expired,
            Rejected = queue.Rejected,
            RefusedToCallers = counters.RefusedByQueue,
            Mismatches = counters.Mismatches,
            Unhandled = counters.Unhandled,
            PeakWorkingSetBytes = process.PeakWorkingSet64,
        };
    }

    /// <summary>Puts the counting queue in front of whichever queue is registered; the history stays that queue's.</summary>
    private static void CountDeliveries(IServiceCollection services)
    {
        var registered = services.Last(static d => d.ServiceType == typeof(IDeliveryQueue));
        services.AddSingleton(sp => new CountingDeliveryQueue((IDeliveryQueue)(
            registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
        services.Replace(ServiceDescriptor.Singleton<IDeliveryQueue>(static sp => sp.GetRequiredService<CountingDeliveryQueue>()));
        services.Replace(ServiceDescriptor.Singleton(static sp => (IDeliveryHistory)sp.GetRequiredService<CountingDeliveryQueue>().Inner));
    }

    private static async Task BindFlowTenantAsync(IActionManagement management, SoakTargets targets)
    {
        var caller = ManagementCaller.ForHost(FlowTenant);

        async Task<string> TargetAsync(string name, string path, TargetType type, TimeSpan timeout, bool interrupt = false) =>
            (await management.CreateTargetAsync(caller, new TargetSpec
            {
                Name = name,
                Endpoint = targets.Url(path),
                Type = type,
                Timeout = timeout,
                InterruptOnError = interrupt,
            })).Target.Id;

        async Task SetAsync(Condition condition, params string[] ids) =>
            await management.SetExecutionAsync(caller, condition, [.. ids.Select(ExecutionEntry.ForTarget)]);

        // Healthy targets get a timeout no busy machine reaches; the faulty one times out by design.
        var generous = TimeSpan.FromSeconds(10);
        var webhook = await TargetAsync("webhook", "/ok", TargetType.Webhook, generous);
        var call = await TargetAsync("call", "/call", TargetType.Call, generous, interrupt: true);
        var audit = await TargetAsync("audit", "/ok", TargetType.Async, generous);
        var failing = await TargetAsync("failing", "/fail", TargetType.Webhook, generous);
        var hanging = await TargetAsync("hanging", "/hang", TargetType.Webhook, TimeSpan.FromMilliseconds(200));
        var gone = await TargetAsync("gone", "/gone", TargetType.Webhook, generous);
        await SetAsync(Condition.RequestMethod(FlowLoad.HealthyMethod), webhook, call, audit);
        await SetAsync(Condition.RequestMethod(FlowLoad.FaultyMethod), failing, hanging, call);
        await SetAsync(Condition.Event(EventLoad.Delivered), webhook);
        await SetAsync(Condition.Event(EventLoad.Retried), webhook, failing);
        await SetAsync(Condition.Event(EventLoad.Gone), gone);
    }
}
