using ActionExec.Delivery;
using ActionExec.PostgreSql;
using ActionExec.PostgreSql.Delivery;
using ActionExec.PostgreSql.DependencyInjection;
using ActionExec.PostgreSql.Security;
using ActionExec.PostgreSql.Storage;
using ActionExec.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Stores targets and executions in PostgreSQL, shared by every instance of the host. Each method only records registrations;
/// calling one again replaces the data source and adds its configuration to the earlier ones.
/// </summary>
public static class PostgreSqlBuilderExtensions
{
    /// <summary>The configuration section the options are bound from: <c>ActionExec:PostgreSql</c>.</summary>
    public const string ConfigurationSection = "ActionExec:PostgreSql";

    /// <summary>The name of the connection string read from configuration: <c>ActionExec</c> (<c>ConnectionStrings:ActionExec</c>).</summary>
    public const string ConnectionStringName = "ActionExec";

    /// <summary>
    /// Stores targets and executions in the PostgreSQL database of <paramref name="connectionString"/>. When the host starts,
    /// the schema is migrated (unless <see cref="PostgreSqlStoreOptions.RunMigrations"/> is off) and the options are validated.
    /// Signing keys are encrypted with ASP.NET Core Data Protection (register it with <c>AddDataProtection()</c>, with a key
    /// ring every instance shares) unless an <see cref="ISigningKeyProtector"/> is registered.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or whitespace.</exception>
    public static IActionExecutionsBuilder AddPostgreSql(this IActionExecutionsBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = Register(builder, hostDataSource: null);
        options.Configure(o => o.ConnectionString = connectionString);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Stores targets and executions through a data source the host already has; the store never disposes it. Otherwise as
    /// <see cref="AddPostgreSql(IActionExecutionsBuilder, string, Action{PostgreSqlStoreOptions}?)"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The host's data source.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSource"/> is null.</exception>
    public static IActionExecutionsBuilder AddPostgreSql(this IActionExecutionsBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        var options = Register(builder, dataSource);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Stores targets and executions in the database of the connection string <c>ConnectionStrings:ActionExec</c> of
    /// <paramref name="configuration"/>, with the options bound from its <c>ActionExec:PostgreSql</c> section (for example
    /// <c>ActionExec__PostgreSql__PollInterval=00:00:01</c> from the environment). Otherwise as
    /// <see cref="AddPostgreSql(IActionExecutionsBuilder, string, Action{PostgreSqlStoreOptions}?)"/>; a missing connection
    /// string makes the host's start fail, saying where to set it, and so does a key in the section that names no option.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The host's configuration root.</param>
    /// <param name="configure">Changes the options after binding; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static IActionExecutionsBuilder AddPostgreSql(this IActionExecutionsBuilder builder, IConfiguration configuration, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = Register(builder, hostDataSource: null);

        // The section belongs to ActionExec alone: a misspelt key fails the start naming it instead of leaving a default in place.
        options.Bind(configuration.GetSection(ConfigurationSection), static b => b.ErrorOnUnknownConfiguration = true);
        builder.Services.TryAddSingleton(PostgreSqlConfigured.Instance);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            options.Configure(o => o.ConnectionString = connectionString);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    private static OptionsBuilder<PostgreSqlStoreOptions> Register(IActionExecutionsBuilder builder, NpgsqlDataSource? hostDataSource)
    {
        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(_ => new PostgreSqlDataSourceProvider(hostDataSource)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISigningKeyProtector>(static sp => sp.GetService<IDataProtectionProvider>() is { } provider
            ? new DataProtectionSigningKeyProtector(provider)
            : throw new InvalidOperationException(
                "The PostgreSQL store encrypts signing keys, and no key protector is registered: call services.AddDataProtection() (with a key ring every instance shares, for example PersistKeysToFileSystem on a shared volume, and one SetApplicationName), or register your own ISigningKeyProtector."));
        services.TryAddSingleton<PostgreSqlActionStore>();
        services.Replace(ServiceDescriptor.Singleton<IActionStore>(static sp => sp.GetRequiredService<PostgreSqlActionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlStoreStartup>());

        // The queue registered before (the in-memory one of ActionExec.Core) stays available for DurableDelivery = false. Only the
        // first call captures it: a second call would otherwise capture the PostgreSQL registration below.
        if (!services.Any(static d => d.ServiceType == typeof(EmbeddedDeliveryQueue))
            && services.LastOrDefault(static d => d.ServiceType == typeof(IDeliveryQueue) && !d.IsKeyedService) is { } embedded)
        {
            services.AddSingleton(new EmbeddedDeliveryQueue(embedded));
        }

        services.TryAddSingleton<PostgreSqlDeliveryQueue>();
        services.Replace(ServiceDescriptor.Singleton<IDeliveryQueue>(static sp => sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.DurableDelivery
            ? sp.GetRequiredService<PostgreSqlDeliveryQueue>()
            : sp.GetRequiredService<EmbeddedDeliveryQueue>().Create(sp)));
        // IDeliveryHistory needs nothing here: ActionExec.Core resolves it from whichever IDeliveryQueue is registered.
        services.TryAddSingleton<IPostgreSqlOutbox, PostgreSqlOutbox>();
        return services.AddOptions<PostgreSqlStoreOptions>().ValidateOnStart();
    }
}
