using ActionExec.PostgreSql.Storage;
using Microsoft.Extensions.Hosting;

namespace ActionExec.PostgreSql.DependencyInjection;

/// <summary>
/// Makes the host's start fail when the store cannot work: the database unreachable, the schema not migrated, no key
/// protector. Applies the migrations then, rather than on the first call.
/// </summary>
internal sealed class PostgreSqlStoreStartup(PostgreSqlActionStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureReadyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
