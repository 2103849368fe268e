using System.Diagnostics;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Http;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActionExec.PostgreSql.WorkerHost;

/// <summary>
/// One host instance in a process of its own: <c>AddActionExecutions().AddPostgreSql(…)</c> configured from the command line,
/// targets allowed to reach loopback only, delivering from the shared queue until the process is killed, its parent is gone or its
/// lifetime is up. It writes <c>started</c> once the host runs and <c>published N</c> after publishing, so the test that started it
/// knows where it is.
/// </summary>
/// <example>
/// <code>
/// dotnet ActionExec.PostgreSql.WorkerHost.dll --ConnectionStrings:ActionExec="Host=127.0.0.1;…" --ActionExec:PostgreSql:Schema=t1
///   --ActionExec:Delivery:LeaseDuration=00:00:02 --Worker:KeyRing=/tmp/keys --Worker:Receiver=http://127.0.0.1:5000/hook --Worker:Publish=100
/// </code>
/// </example>
internal static class WorkerHostProgram
{
    public const string ApplicationName = "actionexec-durability";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
        builder.Configuration.AddCommandLine(args);
        var settings = builder.Configuration.GetSection(WorkerSettings.Section).Get<WorkerSettings>() ?? new WorkerSettings();
        settings.Validate();
        var keyRing = settings.KeyRing ?? throw new InvalidOperationException("Worker:KeyRing is missing; give the folder of the key ring every instance shares, such as /tmp/keys.");

        builder.Logging.AddSimpleConsole(static o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        builder.Services.AddActionExecutions(builder.Configuration.GetSection("ActionExec"))
            .AddHttpTargets(static o => o.AllowLoopback())
            .AddPostgreSql(builder.Configuration);
        builder.Services.AddHttpClient(HttpTargetOptions.DefaultClientName).AddHttpMessageHandler(static () => new LoopbackOnlyHandler());

        using var host = builder.Build();
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lifetime.CancelAfter(settings.MaxLifetime);
        await host.StartAsync(lifetime.Token);
        await output.WriteLineAsync("started");
        await output.FlushAsync(lifetime.Token);

        var services = host.Services;
        if (settings.Receiver is { } receiver)
        {
            await SetUpAsync(services.GetRequiredService<IActionManagement>(), settings, receiver, lifetime.Token);
        }

        if (settings.Publish > 0)
        {
            var dispatcher = services.GetRequiredService<IActionDispatcher>();
            var context = new FlowContext(settings.Tenant);
            for (var n = settings.FirstEvent; n < settings.FirstEvent + settings.Publish; n++)
            {
                await dispatcher.PublishEventAsync(context, Event(settings.EventType, n), lifetime.Token);
            }

            await output.WriteLineAsync($"published {settings.Publish}");
            await output.FlushAsync(lifetime.Token);
        }

        await WhileParentLivesAsync(settings.ParentProcessId, lifetime.Token);
        await host.StopAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>An event with a number of its own, so the receiver can tell every event apart.</summary>
    public static ActionEvent Event(string eventType, int n) => new()
    {
        EventType = eventType,
        AggregateId = "order-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AggregateType = "order",
        Sequence = (ulong)n,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Payload = """{"total":42}"""u8.ToArray(),
    };

    private static async Task SetUpAsync(IActionManagement management, WorkerSettings settings, string receiver, CancellationToken cancellationToken)
    {
        var caller = ManagementCaller.ForHost(settings.Tenant);
        var targets = await management.ListTargetsAsync(caller, cancellationToken);
        if (targets.Any(static t => string.Equals(t.Name, WorkerSettings.TargetName, StringComparison.Ordinal)))
        {
            return;
        }

        var target = await management.CreateTargetAsync(
            caller,
            new TargetSpec { Name = WorkerSettings.TargetName, Endpoint = receiver, Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(10) },
            cancellationToken);
        await management.SetExecutionAsync(caller, Condition.Event(settings.EventType), [ExecutionEntry.ForTarget(target.Target.Id)], cancellationToken);
    }

    private static async Task WhileParentLivesAsync(int parentProcessId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (parentProcessId > 0 && !IsAlive(parentProcessId))
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Its lifetime is up.
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
