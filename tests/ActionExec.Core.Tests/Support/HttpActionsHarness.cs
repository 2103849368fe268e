using System.Net;
using System.Net.Sockets;
using System.Text;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ActionExec.Tests.Support;

/// <summary>
/// The real services of <c>AddActionExecutions()</c> next to a <see cref="LoopbackReceiver"/>: targets and executions are created
/// through the management service, flows run through the dispatcher, and every HTTP call reaches the receiver.
/// The delivery queue is a substitute: async targets are not the subject here.
/// </summary>
internal sealed class HttpActionsHarness : IAsyncDisposable
{
    public const string Tenant = "69629023906488334";

    private HttpActionsHarness(LoopbackReceiver receiver, ServiceProvider services)
    {
        Receiver = receiver;
        Services = services;
    }

    public LoopbackReceiver Receiver { get; }

    public ServiceProvider Services { get; }

    public IActionManagement Management => Services.GetRequiredService<IActionManagement>();

    public IActionDispatcher Dispatcher => Services.GetRequiredService<IActionDispatcher>();

    public TargetCaller TargetCaller => Services.GetRequiredService<TargetCaller>();

    public ManagementCaller Admin { get; } = ManagementCaller.ForUser(Tenant, TestUsers.Administrator);

    public FlowContext Context { get; } = new(Tenant) { OrgId = "org-1", UserId = "user-1" };

    /// <summary>Starts the receiver and the services; the receiver is on loopback, which the endpoint policy denies by default.</summary>
    /// <param name="configure">Adds to the ActionExec registrations.</param>
    /// <param name="services">Adds services before ActionExec is registered.</param>
    /// <param name="allowLoopback">Whether targets may reach loopback (and so the receiver); <see langword="false"/> keeps the default policy.</param>
    public static async Task<HttpActionsHarness> StartAsync(
        Action<IActionExecutionsBuilder>? configure = null,
        Action<IServiceCollection>? services = null,
        bool allowLoopback = true)
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var collection = new ServiceCollection();
        collection.AddSingleton(Substitute.For<IDeliveryQueue>());
        services?.Invoke(collection);
        var builder = collection.AddActionExecutions();
        if (allowLoopback)
        {
            builder.AddHttpTargets(static o => o.AllowLoopback());
        }

        configure?.Invoke(builder);
        return new HttpActionsHarness(receiver, collection.BuildServiceProvider());
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens: the port was bound, then released.</summary>
    public static string ClosedPortUrl(string path = "/closed")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}{path}";
    }

    /// <summary>Creates a target; its endpoint is <c>/&lt;name&gt;</c> on the receiver unless <paramref name="endpoint"/> is given.</summary>
    public async Task<CreatedTarget> CreateTargetAsync(
        string name,
        TargetType type = TargetType.Webhook,
        bool interrupt = false,
        string? endpoint = null,
        TimeSpan? timeout = null,
        SignatureScheme scheme = SignatureScheme.Zitadel) =>
        await Management.CreateTargetAsync(Admin, new TargetSpec
        {
            Name = name,
            Endpoint = endpoint ?? Receiver.Url("/" + name),
            Type = type,
            InterruptOnError = interrupt,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            SignatureScheme = scheme,
        });

    public async Task SetAsync(Condition condition, params CreatedTarget[] targets) =>
        await Management.SetExecutionAsync(Admin, condition, [.. targets.Select(t => ExecutionEntry.ForTarget(t.Target.Id))]);

    public async Task<ResolvedTarget> ResolveAsync(CreatedTarget target)
    {
        var snapshot = await Services.GetRequiredService<ActionEngine>().GetSnapshotAsync(Tenant);
        Assert.True(snapshot.TryGetResolvedTarget(target.Target.Id, out var resolved));
        return resolved;
    }

    /// <summary>Calls a target once through the <see cref="ActionExec.Dispatch.TargetCaller"/>, which classifies the answer.</summary>
    public async Task<TargetAttempt> CallAsync(CreatedTarget target, string payload = """{"a":1}""", string deliveryId = "delivery-1") =>
        await TargetCaller.CallAsync(await ResolveAsync(target), Encoding.UTF8.GetBytes(payload), deliveryId, 1, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
