using System.Security.Cryptography;
using ActionExec.Errors;
using ActionExec.PostgreSql.Tests.Support;
using ActionExec.Targets;

namespace ActionExec.PostgreSql.Tests.Engine;

/// <summary>A target's public keys through the management API over the PostgreSQL store, as replicas of one host use them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PublicKeysOverPostgreSqlTests(PostgresServer server) : StoreInstanceTests(server)
{
    [Fact]
    public async Task PublicKeys_AddedAndActivatedOnOneInstance_AreSeenByAnotherThatHoldsTheTenant()
    {
        var writer = Track(StoreInstance.Create(Server, Schema));
        var reader = Track(StoreInstance.Create(Server, Schema));
        var target = (await writer.Management.CreateTargetAsync(writer.Caller, Spec("audit"))).Target.Id;
        await reader.HoldAsync();

        var first = await writer.Management.AddPublicKeyAsync(writer.Caller, target, NewEcPem(), DateTimeOffset.UtcNow.AddDays(1));
        var second = await writer.Management.AddPublicKeyAsync(writer.Caller, target, NewEcPem(), null);
        await writer.Management.ActivatePublicKeyAsync(writer.Caller, target, second.KeyId);

        await Wait.UntilAsync(() => reader.PublishedSequence() == writer.PublishedSequence(), "the reader reloaded the writer's keys");
        var written = await writer.Management.ListPublicKeysAsync(writer.Caller, target);
        var read = await reader.Management.ListPublicKeysAsync(reader.Caller, target);
        Assert.Equal([first.KeyId, second.KeyId], read.Select(k => k.KeyId));
        Assert.Equal([false, true], read.Select(k => k.Active));
        Assert.Equal(written.Select(Image), read.Select(Image));
    }

    [Fact]
    public async Task ActivatePublicKey_TwoInstancesActivateDifferentKeysAtOnce_ExactlyOneIsActive()
    {
        var first = Track(StoreInstance.Create(Server, Schema));
        var second = Track(StoreInstance.Create(Server, Schema));
        var target = (await first.Management.CreateTargetAsync(first.Caller, Spec("audit"))).Target.Id;
        var one = await first.Management.AddPublicKeyAsync(first.Caller, target, NewEcPem(), null);
        var two = await first.Management.AddPublicKeyAsync(first.Caller, target, NewEcPem(), null);
        await second.HoldAsync();

        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(
                Task.Run(async () => await first.Management.ActivatePublicKeyAsync(first.Caller, target, one.KeyId)),
                Task.Run(async () => await second.Management.ActivatePublicKeyAsync(second.Caller, target, two.KeyId)));

            var fresh = Track(StoreInstance.Create(Server, Schema));
            Assert.Single(await fresh.Management.ListPublicKeysAsync(fresh.Caller, target), k => k.Active);
        }
    }

    [Fact]
    public async Task PublicKeys_RemoveOnOneInstance_IsGoneForAFreshInstance()
    {
        var writer = Track(StoreInstance.Create(Server, Schema));
        var target = (await writer.Management.CreateTargetAsync(writer.Caller, Spec("audit"))).Target.Id;
        var kept = await writer.Management.AddPublicKeyAsync(writer.Caller, target, NewEcPem(), null);
        var removed = await writer.Management.AddPublicKeyAsync(writer.Caller, target, NewEcPem(), null);

        await writer.Management.RemovePublicKeyAsync(writer.Caller, target, removed.KeyId);

        var fresh = Track(StoreInstance.Create(Server, Schema));
        Assert.Equal([kept.KeyId], (await fresh.Management.ListPublicKeysAsync(fresh.Caller, target)).Select(k => k.KeyId));
    }

    [Fact]
    public async Task DeleteTarget_RemovesItsKeyRows()
    {
        var writer = Track(StoreInstance.Create(Server, Schema));
        var target = (await writer.Management.CreateTargetAsync(writer.Caller, Spec("audit"))).Target.Id;
        await writer.Management.AddPublicKeyAsync(writer.Caller, target, NewEcPem(), null);
        Assert.Equal(1L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.target_public_keys"));

        await writer.Management.DeleteTargetAsync(writer.Caller, target);

        Assert.Equal(0L, await Server.ScalarAsync($"SELECT count(*) FROM {Schema}.target_public_keys"));
        var fresh = Track(StoreInstance.Create(Server, Schema));
        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await fresh.Management.ListPublicKeysAsync(fresh.Caller, target));
        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
    }

    // PostgreSQL keeps microseconds: the writer's own snapshot has the clock's ticks.
    private static string Image(TargetPublicKey key) =>
        $"{key.PublicKey} {key.Fingerprint} {Micro(key.ExpirationDate)} {Micro(key.CreationDate)} {Micro(key.ChangeDate)}";

    private static long? Micro(DateTimeOffset? time) => time?.UtcTicks / 10;

    private static string NewEcPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    private static TargetSpec Spec(string name) =>
        new() { Name = name, Endpoint = $"https://{name}.example.com/hook", Type = TargetType.Webhook, Timeout = TimeSpan.FromSeconds(2) };
}
