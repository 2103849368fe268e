using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>One host instance over the benchmark's schema, started as a host starts it (migrations, the delivery worker).</summary>
internal sealed class BenchInstance : IAsyncDisposable
{
    /// <summary>One key ring for every instance of the run, as replicas of a host share theirs.</summary>
    private static readonly IDataProtectionProvider SharedProtection = new EphemeralDataProtectionProvider();

    private readonly IHost _host;

    private BenchInstance(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    public static async Task<BenchInstance> StartAsync(string connectionString, string schema, Action<IActionExecutionsBuilder>? configure = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(SharedProtection);
        var actions = builder.Services.AddActionExecutions().AddPostgreSql(connectionString, o => o.Schema = schema);
        configure?.Invoke(actions);
        var host = builder.Build();
        await host.StartAsync();
        return new BenchInstance(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
