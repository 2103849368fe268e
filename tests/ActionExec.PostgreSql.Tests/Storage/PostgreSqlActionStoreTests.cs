using System.Text;
using ActionExec.Errors;
using ActionExec.PostgreSql.Security;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Storage;
using ActionExec.Targets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActionExec.PostgreSql.Tests.Storage;

/// <summary>What only the PostgreSQL store has to get right: keys at rest, lost answers to COMMIT, broken connections.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlActionStoreTests(PostgresServer server) : StoreInstanceTests(server)
{
    private static readonly DateTimeOffset When = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    [Fact]
    public async Task CommitAsync_SigningKeys_AreInNoRowInPlaintext()
    {
        var instance = Open();
        string[] keys = [SigningKeys.Generate(SignatureScheme.Zitadel), SigningKeys.Generate(SignatureScheme.StandardWebhooks)];
        await instance.Store.CommitAsync(Change(0) with
        {
            UpsertedTargets = [Target("t1", keys[0], SignatureScheme.Zitadel), Target("t2", keys[1], SignatureScheme.StandardWebhooks)],
        }, CancellationToken.None);

        await using var connection = await Server.OpenAsync();
        await using var dump = new NpgsqlCommand(
            $"""
            SELECT convert_to(coalesce((SELECT string_agg(t::text, '|') FROM {Schema}.targets t), '')
                           || coalesce((SELECT string_agg(c::text, '|') FROM {Schema}.applied_changes c), '')
                           || coalesce((SELECT string_agg(n::text, '|') FROM {Schema}.tenants n), ''), 'UTF8')
            """,
            connection);
        var rows = (byte[])(await dump.ExecuteScalarAsync())!;

        Assert.True(rows.AsSpan().IndexOf("t1"u8) >= 0, "The dump holds the targets' rows.");
        foreach (var key in keys)
        {
            Assert.True(rows.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)) < 0, "A signing key is stored in plaintext.");
            Assert.True(rows.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key[^16..])) < 0, "Part of a signing key is stored in plaintext.");
        }

        var loaded = await instance.Store.LoadAsync(StoreInstance.Tenant, CancellationToken.None);
        Assert.Equal(keys, loaded.Targets.OrderBy(t => t.Target.Id, StringComparer.Ordinal).Select(t => t.SigningKey));
    }

    [Fact]
    public async Task CommitAsync_WithTheHostsOwnProtector_StoresWhatItReturnsAndLoadsThroughIt()
    {
        var instance = Open(services: s => s.AddSingleton<ISigningKeyProtector, ReversingProtector>());
        await instance.Store.CommitAsync(Change(0) with { UpsertedTargets = [Target("t1", "abc-key")] }, CancellationToken.None);

        Assert.Equal("reversed:yek-cba", await Server.ScalarAsync($"SELECT protected_signing_key FROM {Schema}.targets"));
        Assert.Equal("abc-key", Assert.Single((await instance.Store.LoadAsync(StoreInstance.Tenant, CancellationToken.None)).Targets).SigningKey);
    }

    [Fact]
    public async Task LoadAsync_KeysProtectedWithAnotherKeyRing_FailsSayingEveryInstanceMustShareOne()
    {
        await Open().Store.CommitAsync(Change(0) with { UpsertedTargets = [Target("t1", "secret-key")] }, CancellationToken.None);
        var stranger = Open(protection: new EphemeralDataProtectionProvider());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await stranger.Store.LoadAsync(StoreInstance.Tenant, CancellationToken.None));

        Assert.Contains("'t1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("share one key ring", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_AnswerToCommitLost_IsRecognisedByItsChangeIdAndNotAppliedTwice()
    {
        var log = new RecordingLoggerProvider();
        var instance = Open(services: s => s.AddLogging(b => b.AddProvider(log)));
        var store = instance.Store;
        var lost = 0;
        store.AfterCommit = _ => Interlocked.Exchange(ref lost, 1) == 0
            ? throw new NpgsqlException("The connection was reset after COMMIT was sent.", new IOException("Connection reset by peer"))
            : ValueTask.CompletedTask;

        await store.CommitAsync(Change(0) with { UpsertedTargets = [Target("t1", "k1")] }, CancellationToken.None);

        Assert.Equal(1, lost);
        Assert.Equal(1UL, await store.GetSequenceAsync(StoreInstance.Tenant, CancellationToken.None));
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.applied_changes"));
        Assert.Contains(log.Events, e => e.Id == 7003);

        // The next change goes on from there, as if nothing had happened.
        store.AfterCommit = null;
        await store.CommitAsync(Change(1) with { DeletedTargetIds = ["t1"] }, CancellationToken.None);
        Assert.Equal(2UL, await store.GetSequenceAsync(StoreInstance.Tenant, CancellationToken.None));
    }

    [Fact]
    public async Task CommitAsync_PooledConnectionsKilledByTheServer_IsRetriedOnAFreshConnection()
    {
        var log = new RecordingLoggerProvider();
        var instance = Open(applicationName: "killed-pool", services: s => s.AddLogging(b => b.AddProvider(log)));
        var store = instance.Store;
        await store.CommitAsync(Change(0), CancellationToken.None);

        var killed = await Server.ScalarAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'killed-pool'");
        await store.CommitAsync(Change(1) with { UpsertedTargets = [Target("t1", "k1")] }, CancellationToken.None);

        Assert.True((long)killed! >= 1, "No connection of the store was open to kill.");
        Assert.Contains(log.Events, e => e.Id == 7002);
        var state = await store.LoadAsync(StoreInstance.Tenant, CancellationToken.None);
        Assert.Equal(2UL, state.Sequence);
        Assert.Single(state.Targets);
    }

    [Fact]
    public async Task CommitAsync_TenantIdTooLongForANotification_IsCommittedAndStillReachesOtherInstances()
    {
        var tenant = new string('x', 9_000);
        var writer = Open();
        var reader = Open();
        await reader.Store.LoadAsync(tenant, CancellationToken.None);
        var token = reader.Store.Watch(tenant);

        await writer.Store.CommitAsync(Change(0) with { TenantId = tenant }, CancellationToken.None);

        await Wait.UntilAsync(() => token.HasChanged, "the other instance heard of the change");
        Assert.Equal(1UL, await reader.Store.GetSequenceAsync(tenant, CancellationToken.None));
    }

    [Fact]
    public async Task EveryMember_DatabaseUnreachable_IsUnavailableNamingTheTenant()
    {
        // A loopback port nothing listens on: the connection is refused at once.
        var port = PostgresServer.FreeLoopbackPort();
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=2");
        var services = new ServiceCollection();
        services.AddSingleton(StoreInstance.SharedProtection);
        services.AddActionExecutions().AddPostgreSql(dataSource, o => o.Schema = Schema);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IActionStore>();

        var load = await Assert.ThrowsAsync<ActionExecException>(async () => await store.LoadAsync("t", CancellationToken.None));
        var sequence = await Assert.ThrowsAsync<ActionExecException>(async () => await store.GetSequenceAsync("t", CancellationToken.None));
        var commit = await Assert.ThrowsAsync<ActionExecException>(async () => await store.CommitAsync(Change(0) with { TenantId = "t" }, CancellationToken.None));

        Assert.All([load, sequence, commit], e =>
        {
            Assert.Equal(ActionExecErrorCode.Unavailable, e.Code);
            Assert.Contains("tenant 't'", e.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<NpgsqlException>(e.InnerException);
        });
    }

    [Fact]
    public async Task CommitAsync_StaleSequence_IsAbortedNamingTheTenantAndBothSequences()
    {
        var store = Open().Store;
        await store.CommitAsync(Change(0), CancellationToken.None);
        await store.CommitAsync(Change(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await store.CommitAsync(Change(1), CancellationToken.None));

        Assert.Equal(ActionExecErrorCode.Aborted, error.Code);
        Assert.Equal($"The tenant '{StoreInstance.Tenant}' was changed concurrently: its sequence is 2, not 1; reload and retry.", error.Message);
    }

    private StoreInstance Open(IDataProtectionProvider? protection = null, string applicationName = "actionexec-tests", Action<IServiceCollection>? services = null)
    {
        return Track(StoreInstance.Create(Server, Schema, protection: protection, applicationName: applicationName, services: services));
    }

    private static TenantChange Change(ulong expected) =>
        new() { TenantId = StoreInstance.Tenant, ExpectedSequence = expected, ChangeDate = When.AddSeconds(expected + 1) };

    private static StoredTarget Target(string id, string key, SignatureScheme scheme = SignatureScheme.Zitadel) =>
        new(
            new Target
            {
                Id = id,
                Name = "name-" + id,
                Endpoint = "https://hooks.example.com/" + id,
                Type = TargetType.Webhook,
                Timeout = TimeSpan.FromSeconds(2),
                SignatureScheme = scheme,
                CreationDate = When,
                ChangeDate = When,
                Sequence = 1,
            },
            key);

    private sealed class ReversingProtector : ISigningKeyProtector
    {
        public string Protect(string signingKey) => "reversed:" + new string([.. signingKey.Reverse()]);

        public string Unprotect(string protectedSigningKey) => new([.. protectedSigningKey["reversed:".Length..].Reverse()]);
    }
}
