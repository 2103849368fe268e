using ActionExec.Dispatch;
using ActionExec.Engine;
using ActionExec.Management;
using ActionExec.PostgreSql.Delivery;
using ActionExec.PostgreSql.Storage;
using ActionExec.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>
/// One host instance over the test database: the library registered as a host would, with the PostgreSQL store in a given
/// schema. Several instances over one schema are several replicas of one host.
/// </summary>
internal sealed class StoreInstance : IAsyncDisposable
{
    /// <summary>One key ring for every instance of the run, as replicas of a host share theirs.</summary>
    public static readonly IDataProtectionProvider SharedProtection = new EphemeralDataProtectionProvider();

    private StoreInstance(ServiceProvider provider)
    {
        Provider = provider;
    }

    public const string Tenant = "tenant-1";

    private readonly List<IHostedService> _started = [];

    public ServiceProvider Provider { get; }

    public PostgreSqlActionStore Store => Provider.GetRequiredService<PostgreSqlActionStore>();

    public ActionEngine Engine => Provider.GetRequiredService<ActionEngine>();

    public IActionManagement Management => Provider.GetRequiredService<IActionManagement>();

    public PostgreSqlDeliveryQueue Queue => Provider.GetRequiredService<PostgreSqlDeliveryQueue>();

    public IActionDispatcher Dispatcher => Provider.GetRequiredService<IActionDispatcher>();

    public IPostgreSqlOutbox Outbox => Provider.GetRequiredService<IPostgreSqlOutbox>();

    public ManagementCaller Caller { get; } = ManagementCaller.ForHost(Tenant);

    public static StoreInstance Create(
        PostgresServer server,
        string schema,
        Action<PostgreSqlStoreOptions>? configure = null,
        IDataProtectionProvider? protection = null,
        string applicationName = "actionexec-tests",
        Action<IServiceCollection>? services = null)
    {
        var registrations = new ServiceCollection();
        services?.Invoke(registrations);
        registrations.AddSingleton(protection ?? SharedProtection);
        registrations.AddActionExecutions().AddPostgreSql(server.ConnectionString + ";Application Name=" + applicationName, o =>
        {
            o.Schema = schema;
            configure?.Invoke(o);
        });
        return new StoreInstance(registrations.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    /// <summary>Loads the tenant, so that the instance holds it and hears of its changes.</summary>
    public async Task<ActionSnapshot> HoldAsync(string tenant = Tenant) => await Engine.GetSnapshotAsync(tenant);

    /// <summary>The sequence this instance's engine has published for a tenant; 0 when it does not hold it.</summary>
    public ulong PublishedSequence(string tenant = Tenant) => Engine.TryGetSnapshot(tenant, out var snapshot) ? snapshot.Sequence : 0;

    /// <summary>Starts the instance's hosted services, as the host's start would: the migrations, then the delivery worker.</summary>
    public async Task StartAsync()
    {
        foreach (var service in Provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A real-time limit so that a test that left a delivery hanging fails instead of hanging the run.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(limit.Token);
        }

        await Provider.DisposeAsync();
    }

    /// <summary>The store as the engine sees it.</summary>
    public IActionStore ActionStore => Provider.GetRequiredService<IActionStore>();
}
