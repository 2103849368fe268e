using ActionExec.Delivery;
using ActionExec.PostgreSql.Delivery;
using ActionExec.PostgreSql.Storage;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ActionExec.PostgreSql.Tests.DependencyInjection;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBuilderExtensionsTests(PostgresServer server)
{
    private readonly string _schema = PostgresServer.NewSchema();

    [Fact]
    public async Task AddPostgreSql_FromConfiguration_ReadsTheConnectionStringAndTheSectionAndMigratesAtStart()
    {
        using var host = Build(services => services.AddActionExecutions().AddPostgreSql(Configuration(new()
        {
            ["ConnectionStrings:ActionExec"] = server.ConnectionString,
            ["ActionExec:PostgreSql:Schema"] = _schema,
            ["ActionExec:PostgreSql:PollInterval"] = "00:00:01.5",
            ["ActionExec:PostgreSql:RunMigrations"] = "true",
        })));

        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        Assert.Equal(server.ConnectionString, options.ConnectionString);
        Assert.Equal(_schema, options.Schema);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.PollInterval);
        Assert.IsType<PostgreSqlActionStore>(host.Services.GetRequiredService<IActionStore>());
        Assert.Equal((long)ActionExec.PostgreSql.Migrations.PostgreSqlSchema.CurrentVersion, await server.ScalarAsync($"SELECT count(*) FROM {_schema}.schema_migrations"));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddPostgreSql_InvalidOptions_FailTheStartListingEveryProblem()
    {
        using var host = Build(services => services.AddActionExecutions().AddPostgreSql(Configuration(new()
        {
            ["ActionExec:PostgreSql:Schema"] = "Action-Exec",
            ["ActionExec:PostgreSql:PollInterval"] = "00:00:00",
        })));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("PostgreSqlStoreOptions.ConnectionString (configuration key ConnectionStrings:ActionExec) is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("PostgreSqlStoreOptions.Schema (configuration key ActionExec:PostgreSql:Schema) is 'Action-Exec'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("PostgreSqlStoreOptions.PollInterval (configuration key ActionExec:PostgreSql:PollInterval) is 00:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddPostgreSql_MisspeltKeyInTheSection_FailsTheStartNamingIt()
    {
        using var host = Build(services => services.AddActionExecutions().AddPostgreSql(Configuration(new()
        {
            ["ConnectionStrings:ActionExec"] = server.ConnectionString,
            ["ActionExec:PostgreSql:PollIntervall"] = "00:00:01",
        })));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("PollIntervall", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPostgreSql_MalformedConnectionString_FailsTheStartWithoutEchoingIt()
    {
        using var host = Build(services => services.AddActionExecutions().AddPostgreSql("Host=db;Password=hunter2;Colour=blue"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("PostgreSqlStoreOptions.ConnectionString is not a valid Npgsql connection string", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration key", failure, StringComparison.Ordinal);
        Assert.Contains("colour", failure, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPostgreSql_WithoutDataProtectionOrAProtector_FailsTheStartSayingWhatToRegister()
    {
        using var host = Build(
            services => services.AddActionExecutions().AddPostgreSql(server.ConnectionString, o => o.Schema = _schema),
            withDataProtection: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("AddDataProtection()", error.Message, StringComparison.Ordinal);
        Assert.Contains("ISigningKeyProtector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPostgreSql_WithTheHostsDataSource_UsesItAndLeavesItOpen()
    {
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        using (var host = Build(services => services.AddActionExecutions().AddPostgreSql(dataSource, o => o.Schema = _schema)))
        {
            await host.StartAsync();
            var store = host.Services.GetRequiredService<IActionStore>();
            await store.CommitAsync(new TenantChange { TenantId = "t", ExpectedSequence = 0, ChangeDate = DateTimeOffset.UnixEpoch }, CancellationToken.None);
            await host.StopAsync();
        }

        await using var command = dataSource.CreateCommand($"SELECT sequence FROM {_schema}.tenants WHERE tenant_id = 't'");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public void AddPostgreSql_CalledTwice_RegistersOneStoreAndTheLastConnectionString()
    {
        var services = new ServiceCollection();
        services.AddActionExecutions().AddPostgreSql("Host=first").AddPostgreSql("Host=second", o => o.Schema = "other");

        Assert.Single(services, d => d.ServiceType == typeof(IActionStore));
        Assert.Single(services, d => d.ServiceType == typeof(PostgreSqlActionStore));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && string.Equals(d.ImplementationType?.Name, "PostgreSqlStoreStartup", StringComparison.Ordinal));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        Assert.Equal("Host=second", options.ConnectionString);
        Assert.Equal("other", options.Schema);
    }

    [Fact]
    public void AddPostgreSql_ByDefault_OneDurableQueueIsTheQueueAndTheHistory()
    {
        var services = new ServiceCollection();
        services.AddSingleton(StoreInstance.SharedProtection);
        services.AddActionExecutions().AddPostgreSql(server.ConnectionString, o => o.Schema = _schema);
        using var provider = services.BuildServiceProvider();

        var queue = provider.GetRequiredService<IDeliveryQueue>();

        Assert.IsType<PostgreSqlDeliveryQueue>(queue);
        Assert.Same(queue, provider.GetRequiredService<IDeliveryHistory>());
        Assert.Same(queue, provider.GetRequiredService<PostgreSqlDeliveryQueue>());
    }

    [Fact]
    public void AddPostgreSql_DurableDeliveryOffAndCalledTwice_KeepsOneInMemoryQueueAsTheQueueAndTheHistory()
    {
        var services = new ServiceCollection();
        services.AddSingleton(StoreInstance.SharedProtection);
        services.AddActionExecutions().AddPostgreSql("Host=first").AddPostgreSql(server.ConnectionString, o =>
        {
            o.Schema = _schema;
            o.DurableDelivery = false;
        });
        using var provider = services.BuildServiceProvider();

        var queue = provider.GetRequiredService<IDeliveryQueue>();

        Assert.IsType<InMemoryDeliveryQueue>(queue);
        Assert.Same(queue, provider.GetRequiredService<IDeliveryQueue>());
        Assert.Same(queue, provider.GetRequiredService<IDeliveryHistory>());
        Assert.Single(services, d => d.ServiceType == typeof(IDeliveryQueue));
    }

    [Fact]
    public void AddPostgreSql_EmptyConnectionString_ThrowsNamingTheParameter()
    {
        var builder = new ServiceCollection().AddActionExecutions();

        var error = Assert.Throws<ArgumentException>(() => builder.AddPostgreSql(" "));

        Assert.Equal("connectionString", error.ParamName);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static IHost Build(Action<IServiceCollection> configure, bool withDataProtection = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        if (withDataProtection)
        {
            builder.Services.AddSingleton(StoreInstance.SharedProtection);
        }

        configure(builder.Services);
        return builder.Build();
    }
}
