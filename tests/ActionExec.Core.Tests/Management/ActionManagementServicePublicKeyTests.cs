using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using NSubstitute;
using static ActionExec.Tests.Support.ManagementHarness;

namespace ActionExec.Tests.Management;

public sealed class ActionManagementServicePublicKeyTests : IDisposable
{
    private readonly ManagementHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task AddPublicKey_RsaKey_IsStoredInactiveWithIdFingerprintAndDates()
    {
        var target = await _h.CreateTargetAsync("t1");
        var expiration = _h.Time.GetUtcNow().AddDays(30);

        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, expiration);

        Assert.False(string.IsNullOrEmpty(key.KeyId));
        Assert.False(key.Active);
        Assert.Equal(TestKeys.FingerprintOf(TestKeys.RsaPem), key.Fingerprint);
        Assert.Equal(TestKeys.RsaPem, key.PublicKey);
        Assert.Equal(expiration, key.ExpirationDate);
        Assert.Equal(_h.Time.GetUtcNow(), key.CreationDate);
        Assert.Equal(_h.Time.GetUtcNow(), key.ChangeDate);
        Assert.Equal<TargetPublicKey>([key], await _h.Service.ListPublicKeysAsync(_h.Caller, target));
    }

    [Fact]
    public async Task AddPublicKey_EcKeyWithoutExpiration_IsStored()
    {
        var target = await _h.CreateTargetAsync("t1");

        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, expirationDate: null);

        Assert.Null(key.ExpirationDate);
        Assert.Equal(TestKeys.FingerprintOf(TestKeys.P256Pem), key.Fingerprint);
    }

    [Fact]
    public async Task AddPublicKey_KeepsTheTargetDefinitionAndSigningKey()
    {
        var target = await _h.CreateTargetAsync("t1");
        var before = await _h.SnapshotAsync();
        before.TryGetResolvedTarget(target, out var old);

        await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);

        (await _h.SnapshotAsync()).TryGetResolvedTarget(target, out var now);
        Assert.Equal(old!.Definition, now!.Definition);
        Assert.Equal(old.SigningKey, now.SigningKey);
        Assert.Single(now.PublicKeys);
    }

    [Fact]
    public async Task AddPublicKey_BadKeyAndPastExpiration_ListsBothViolationsAndChangesNothing()
    {
        var target = await _h.CreateTargetAsync("t1");
        var sequence = (await _h.SnapshotAsync()).Sequence;

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.AddPublicKeyAsync(_h.Caller, target, "garbage", _h.Time.GetUtcNow().AddSeconds(-1)));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["publicKey", "expirationDate"], error.Violations.Select(v => v.Field));
        Assert.Equal(sequence, (await _h.SnapshotAsync()).Sequence);
    }

    [Fact]
    public async Task AddPublicKey_ExpirationNow_IsRefused()
    {
        var target = await _h.CreateTargetAsync("t1");

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, _h.Time.GetUtcNow()));

        Assert.Equal("expirationDate", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task AddPublicKey_PrivateKey_IsRefusedAndNothingIsStored()
    {
        var target = await _h.CreateTargetAsync("t1");

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.Rsa.ExportPkcs8PrivateKeyPem(), null));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("publicKey", Assert.Single(error.Violations).Field);
        Assert.Empty(await _h.Service.ListPublicKeysAsync(_h.Caller, target));
    }

    [Fact]
    public async Task AddPublicKey_UnknownTarget_IsNotFoundNamingIt()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.AddPublicKeyAsync(_h.Caller, "missing", TestKeys.RsaPem, null));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPublicKey_SameKeyTwice_IsAlreadyExistsNamingTheKey()
    {
        var target = await _h.CreateTargetAsync("t1");
        var first = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.AddPublicKeyAsync(_h.Caller, target, PemAsPkcs1(), null));

        Assert.Equal(ActionExecErrorCode.AlreadyExists, error.Code);
        Assert.Contains(first.KeyId, error.Message, StringComparison.Ordinal);
        Assert.Equal("publicKey", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task AddPublicKey_OverTheLimit_IsFailedPrecondition()
    {
        var target = await _h.CreateTargetAsync("t1");
        for (var i = 0; i < ActionManagementService.MaxPublicKeysPerTarget; i++)
        {
            await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.EcPem(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), null);
        }

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("10 public keys", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, (await _h.Service.ListPublicKeysAsync(_h.Caller, target)).Length);
    }

    [Fact]
    public async Task ActivatePublicKey_SecondKey_DeactivatesTheFirstSoOnlyOneIsActive()
    {
        var target = await _h.CreateTargetAsync("t1");
        var first = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var second = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, null);
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, first.KeyId);
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        var activated = await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, second.KeyId);

        Assert.True(activated.Active);
        Assert.Equal(_h.Time.GetUtcNow(), activated.ChangeDate);
        var keys = await _h.Service.ListPublicKeysAsync(_h.Caller, target);
        Assert.Equal([false, true], keys.Select(k => k.Active));
        Assert.Equal(_h.Time.GetUtcNow(), keys[0].ChangeDate);
    }

    [Fact]
    public async Task ActivatePublicKey_OtherInactiveKey_IsLeftAsItWas()
    {
        var target = await _h.CreateTargetAsync("t1");
        var first = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var second = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, null);
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, second.KeyId);

        var keys = await _h.Service.ListPublicKeysAsync(_h.Caller, target);
        Assert.Equal(first, keys[0]);
        Assert.True(keys[1].Active);
    }

    [Fact]
    public async Task ActivatePublicKey_FirstOfSeveral_ActivatesThatKeyOnly()
    {
        var target = await _h.CreateTargetAsync("t1");
        var first = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, null);

        var activated = await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, first.KeyId);

        Assert.Equal(first.KeyId, activated.KeyId);
        Assert.Equal([true, false], (await _h.Service.ListPublicKeysAsync(_h.Caller, target)).Select(k => k.Active));
    }

    [Fact]
    public async Task ActivatePublicKey_AlreadyActive_ChangesNothing()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var active = await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        var sequence = (await _h.SnapshotAsync()).Sequence;
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        var again = await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);

        Assert.Equal(active, again);
        Assert.Equal(sequence, (await _h.SnapshotAsync()).Sequence);
    }

    [Fact]
    public async Task ActivatePublicKey_Expired_IsFailedPrecondition()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, _h.Time.GetUtcNow().AddHours(1));
        _h.Time.Advance(TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeactivatePublicKey_Active_LeavesNoActiveKey()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        var deactivated = await _h.Service.DeactivatePublicKeyAsync(_h.Caller, target, key.KeyId);

        Assert.False(deactivated.Active);
        Assert.Equal(_h.Time.GetUtcNow(), deactivated.ChangeDate);
        Assert.False(Assert.Single(await _h.Service.ListPublicKeysAsync(_h.Caller, target)).Active);
    }

    [Fact]
    public async Task DeactivatePublicKey_Inactive_ChangesNothing()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var sequence = (await _h.SnapshotAsync()).Sequence;

        var again = await _h.Service.DeactivatePublicKeyAsync(_h.Caller, target, key.KeyId);

        Assert.Equal(key, again);
        Assert.Equal(sequence, (await _h.SnapshotAsync()).Sequence);
    }

    [Fact]
    public async Task RemovePublicKey_Inactive_RemovesIt()
    {
        var target = await _h.CreateTargetAsync("t1");
        var first = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var second = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, null);
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        var removed = await _h.Service.RemovePublicKeyAsync(_h.Caller, target, first.KeyId);

        Assert.Equal(_h.Time.GetUtcNow(), removed);
        Assert.Equal([second.KeyId], (await _h.Service.ListPublicKeysAsync(_h.Caller, target)).Select(k => k.KeyId));
    }

    [Fact]
    public async Task RemovePublicKey_Active_IsFailedPreconditionSayingToDeactivateFirst()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.RemovePublicKeyAsync(_h.Caller, target, key.KeyId));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("deactivate it first", error.Message, StringComparison.Ordinal);
        Assert.Single(await _h.Service.ListPublicKeysAsync(_h.Caller, target));
    }

    [Fact]
    public async Task RemovePublicKey_ActiveButExpired_CountsAsInactiveAndIsRemoved()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, _h.Time.GetUtcNow().AddHours(1));
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        _h.Time.Advance(TimeSpan.FromHours(1));

        await _h.Service.RemovePublicKeyAsync(_h.Caller, target, key.KeyId);

        Assert.Empty(await _h.Service.ListPublicKeysAsync(_h.Caller, target));
    }

    [Fact]
    public async Task ListPublicKeys_ActiveKeyPastItsExpiration_IsListedInactiveFromThatInstantOn()
    {
        var target = await _h.CreateTargetAsync("t1");
        var expiration = _h.Time.GetUtcNow().AddHours(1);
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, expiration);
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        var sequence = (await _h.SnapshotAsync()).Sequence;

        _h.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.True(Assert.Single(await _h.Service.ListPublicKeysAsync(_h.Caller, target)).Active);
        _h.Time.Advance(TimeSpan.FromTicks(1));
        Assert.False(Assert.Single(await _h.Service.ListPublicKeysAsync(_h.Caller, target)).Active);

        // Nothing was written: expiry is evaluated against the clock, not stored.
        Assert.Equal(sequence, (await _h.SnapshotAsync()).Sequence);
    }

    [Fact]
    public async Task DeactivatePublicKey_ActiveButExpired_ChangesNothingAndAnswersInactive()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, _h.Time.GetUtcNow().AddHours(1));
        await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);
        var sequence = (await _h.SnapshotAsync()).Sequence;
        _h.Time.Advance(TimeSpan.FromHours(2));

        var answer = await _h.Service.DeactivatePublicKeyAsync(_h.Caller, target, key.KeyId);

        Assert.False(answer.Active);
        Assert.Equal(sequence, (await _h.SnapshotAsync()).Sequence);
    }

    [Theory]
    [InlineData("activate")]
    [InlineData("deactivate")]
    [InlineData("remove")]
    public async Task KeyChange_UnknownKeyOrTarget_IsNotFoundNamingIt(string operation)
    {
        var target = await _h.CreateTargetAsync("t1");

        var noKey = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(operation, target, "missing-key"));
        var noTarget = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(operation, "missing-target", "missing-key"));

        Assert.Equal(ActionExecErrorCode.NotFound, noKey.Code);
        Assert.Contains("public key 'missing-key'", noKey.Message, StringComparison.Ordinal);
        Assert.Equal(ActionExecErrorCode.NotFound, noTarget.Code);
        Assert.Contains("target 'missing-target'", noTarget.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("activate")]
    [InlineData("deactivate")]
    [InlineData("remove")]
    public async Task KeyChange_EmptyIds_IsInvalidArgumentNamingBoth(string operation)
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(() => RunAsync(operation, "", ""));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["targetId", "keyId"], error.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task AddPublicKey_EmptyTargetId_IsInvalidArgumentOnTargetId()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.AddPublicKeyAsync(_h.Caller, "", TestKeys.RsaPem, null));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("targetId", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task ListPublicKeys_EmptyTargetId_IsInvalidArgumentOnTargetId()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.ListPublicKeysAsync(_h.Caller, ""));

        Assert.Equal(ActionExecErrorCode.InvalidArgument, error.Code);
        Assert.Equal("targetId", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task KeyCalls_NullIds_ThrowArgumentNullNamingThem()
    {
        Assert.Equal("targetId", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await _h.Service.AddPublicKeyAsync(_h.Caller, null!, TestKeys.RsaPem, null))).ParamName);
        Assert.Equal("publicKey", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await _h.Service.AddPublicKeyAsync(_h.Caller, "t1", null!, null))).ParamName);
        Assert.Equal("targetId", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await _h.Service.ActivatePublicKeyAsync(_h.Caller, null!, "k"))).ParamName);
        Assert.Equal("keyId", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await _h.Service.DeactivatePublicKeyAsync(_h.Caller, "t1", null!))).ParamName);
        Assert.Equal("targetId", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await _h.Service.ListPublicKeysAsync(_h.Caller, null!))).ParamName);
    }

    [Fact]
    public async Task ListPublicKeys_UnknownTarget_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.ListPublicKeysAsync(_h.Caller, "missing"));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("activate")]
    [InlineData("deactivate")]
    [InlineData("remove")]
    public async Task KeyWrite_CallerWithReadOnly_IsPermissionDeniedNamingTargetWrite(string operation)
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), ActionPermissions.TargetWrite, Arg.Any<CancellationToken>()).Returns(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => string.Equals(operation, "add", StringComparison.Ordinal)
            ? _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.P256Pem, null).AsTask()
            : RunAsync(operation, target, key.KeyId));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Contains(ActionPermissions.TargetWrite, error.Message, StringComparison.Ordinal);
        Assert.Single(await _h.Service.ListPublicKeysAsync(_h.Caller, target));
    }

    [Fact]
    public async Task ListPublicKeys_CallerWithoutTargetRead_IsPermissionDenied()
    {
        var target = await _h.CreateTargetAsync("t1");
        _h.Permissions.HasPermissionAsync(Arg.Any<ManagementCaller>(), ActionPermissions.TargetRead, Arg.Any<CancellationToken>()).Returns(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.ListPublicKeysAsync(_h.Caller, target));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
        Assert.Contains(ActionPermissions.TargetRead, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListPublicKeys_OtherTenant_DoesNotSeeTheTarget()
    {
        var target = await _h.CreateTargetAsync("t1");
        await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () =>
            await _h.Service.ListPublicKeysAsync(ManagementCaller.ForHost("another-tenant"), target));

        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task KeyCalls_FeatureDisabled_AreFailedPrecondition()
    {
        var target = await _h.CreateTargetAsync("t1");
        _h.Features.IsActionsEnabledAsync(default!, default).ReturnsForAnyArgs(false);

        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
    }

    [Fact]
    public async Task UpdateAndRotate_KeepThePublicKeys()
    {
        var target = await _h.CreateTargetAsync("t1");
        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);
        var active = await _h.Service.ActivatePublicKeyAsync(_h.Caller, target, key.KeyId);

        await _h.Service.UpdateTargetAsync(_h.Caller, target, new TargetUpdate { Name = "renamed" });
        await _h.Service.RotateSigningKeyAsync(_h.Caller, target);

        Assert.Equal<TargetPublicKey>([active], await _h.Service.ListPublicKeysAsync(_h.Caller, target));
    }

    [Fact]
    public async Task DeleteTarget_RemovesItsKeys()
    {
        var target = await _h.CreateTargetAsync("t1");
        await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);

        await _h.Service.DeleteTargetAsync(_h.Caller, target);

        var state = await _h.Store.LoadAsync(Tenant, CancellationToken.None);
        Assert.Empty(state.Targets);
        var error = await Assert.ThrowsAsync<ActionExecException>(async () => await _h.Service.ListPublicKeysAsync(_h.Caller, target));
        Assert.Equal(ActionExecErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task AddPublicKey_IsWrittenToTheStoreWithTheTarget()
    {
        var target = await _h.CreateTargetAsync("t1");

        var key = await _h.Service.AddPublicKeyAsync(_h.Caller, target, TestKeys.RsaPem, null);

        var state = await _h.Store.LoadAsync(Tenant, CancellationToken.None);
        Assert.Equal<TargetPublicKey>([key], Assert.Single(state.Targets).PublicKeys);
    }

    private Task RunAsync(string operation, string targetId, string keyId) => operation switch
    {
        "activate" => _h.Service.ActivatePublicKeyAsync(_h.Caller, targetId, keyId).AsTask(),
        "deactivate" => _h.Service.DeactivatePublicKeyAsync(_h.Caller, targetId, keyId).AsTask(),
        _ => _h.Service.RemovePublicKeyAsync(_h.Caller, targetId, keyId).AsTask(),
    };

    private static string PemAsPkcs1() =>
        System.Security.Cryptography.PemEncoding.WriteString("RSA PUBLIC KEY", TestKeys.Rsa.ExportRSAPublicKey());
}
