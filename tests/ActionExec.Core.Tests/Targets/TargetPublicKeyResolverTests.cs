using ActionExec.Targets;
using ActionExec.Tests.Support;

namespace ActionExec.Tests.Targets;

public sealed class TargetPublicKeyResolverTests : IDisposable
{
    private readonly ManagementHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task GetActiveKeyAsync_ActiveKey_IsReturnedWithItsId()
    {
        var target = await _h.CreateTargetAsync("t1");
        await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, null);
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        var resolver = new TargetPublicKeyResolver(_h.Engine, _h.Time);

        var active = await resolver.GetActiveKeyAsync(ManagementHarness.Tenant, target);

        Assert.NotNull(active);
        Assert.Equal(key.KeyId, active.KeyId);
        Assert.Equal(TestKeys.RsaPem, active.PublicKey);
    }

    [Fact]
    public async Task GetActiveKeyAsync_NoActiveKeyOrNoTarget_IsNull()
    {
        var target = await _h.CreateTargetAsync("t1");
        await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var resolver = new TargetPublicKeyResolver(_h.Engine, _h.Time);

        Assert.Null(await resolver.GetActiveKeyAsync(ManagementHarness.Tenant, target));
        Assert.Null(await resolver.GetActiveKeyAsync(ManagementHarness.Tenant, "missing"));
        Assert.Null(await resolver.GetActiveKeyAsync("another-tenant", target));
    }

    [Fact]
    public async Task GetActiveKeyAsync_ActiveKeyExpires_IsNullFromItsExpirationOn()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, _h.Time.GetUtcNow().AddMinutes(5));
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        var resolver = new TargetPublicKeyResolver(_h.Engine, _h.Time);

        _h.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.NotNull(await resolver.GetActiveKeyAsync(ManagementHarness.Tenant, target));
        _h.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(await resolver.GetActiveKeyAsync(ManagementHarness.Tenant, target));
    }

    [Fact]
    public async Task GetActiveKeyAsync_AfterDeactivation_IsNull()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        await _h.Service.DeactivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        var resolver = new TargetPublicKeyResolver(_h.Engine, _h.Time);

        Assert.Null(await resolver.GetActiveKeyAsync(ManagementHarness.Tenant, target));
    }
}
