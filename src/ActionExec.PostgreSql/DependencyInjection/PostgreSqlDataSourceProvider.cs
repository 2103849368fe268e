using Npgsql;

namespace ActionExec.PostgreSql.DependencyInjection;

/// <summary>
/// The data source of the store: the host's own when it gave one (never disposed here), otherwise one built from
/// <see cref="PostgreSqlStoreOptions.ConnectionString"/> on first use and disposed with the container.
/// </summary>
internal sealed class PostgreSqlDataSourceProvider(NpgsqlDataSource? hostDataSource) : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private NpgsqlDataSource? _owned;

    public bool HasDataSource => hostDataSource is not null;

    public NpgsqlDataSource Get(PostgreSqlStoreOptions options)
    {
        if (hostDataSource is not null)
        {
            return hostDataSource;
        }

        lock (_gate)
        {
            return _owned ??= NpgsqlDataSource.Create(options.ConnectionString!);
        }
    }

    public void Dispose() => _owned?.Dispose();

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
