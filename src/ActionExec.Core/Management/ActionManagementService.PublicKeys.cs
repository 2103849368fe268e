using System.Collections.Immutable;
using System.Globalization;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Storage;
using ActionExec.Targets;

namespace ActionExec.Management;

/// <summary>A target's public keys: add, activate, deactivate, remove and list. They are part of the stored target.</summary>
internal sealed partial class ActionManagementService
{
    /// <summary>The most public keys a target may hold: enough for a rotation with spares, few enough to list at a glance.</summary>
    internal const int MaxPublicKeysPerTarget = 10;

    /// <inheritdoc />
    public async ValueTask<TargetPublicKey> AddPublicKeyAsync(
        ManagementCaller caller,
        string targetId,
        string publicKey,
        DateTimeOffset? expirationDate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        ArgumentNullException.ThrowIfNull(publicKey);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var violations = new List<FieldViolation>();
        if (targetId.Length == 0)
        {
            violations.Add(EmptyId("targetId", "target"));
        }

        var parsed = PublicKeyPem.Parse(publicKey, out var problem);
        if (problem is not null)
        {
            violations.Add(new FieldViolation("publicKey", problem));
        }

        var now = _time.GetUtcNow();
        if (expirationDate is { } expiration && expiration <= now)
        {
            violations.Add(new FieldViolation(
                "expirationDate",
                string.Create(CultureInfo.InvariantCulture, $"The expiration date {expiration.UtcDateTime:O} is not in the future (it is now {now.UtcDateTime:O}); give a later date, or none for a key that does not expire.")));
        }

        if (violations.Count > 0)
        {
            throw ActionExecException.InvalidArgument(violations);
        }

        return await _engine.WriteAsync(
            caller.TenantId,
            snapshot =>
            {
                var stored = GetStored(snapshot, caller.TenantId, targetId);
                var keys = stored.PublicKeys;
                foreach (var existing in keys)
                {
                    if (string.Equals(existing.Fingerprint, parsed!.Fingerprint, StringComparison.Ordinal))
                    {
                        throw new ActionExecException(
                            ActionExecErrorCode.AlreadyExists,
                            $"The target '{targetId}' already holds this key as '{existing.KeyId}' ({existing.Fingerprint}); use that key, or add a different one.",
                            [new FieldViolation("publicKey", $"The key is already the target's key '{existing.KeyId}'.")]);
                    }
                }

                if (keys.Length >= MaxPublicKeysPerTarget)
                {
                    throw new ActionExecException(
                        ActionExecErrorCode.FailedPrecondition,
                        string.Create(CultureInfo.InvariantCulture, $"The target '{targetId}' already holds {keys.Length} public keys, the most it may; remove an inactive key first."));
                }

                var change = NewChange(snapshot, _time.GetUtcNow());
                var key = new TargetPublicKey
                {
                    KeyId = Guid.CreateVersion7().ToString("N"),
                    PublicKey = parsed!.Pem,
                    Fingerprint = parsed.Fingerprint,
                    Active = false,
                    ExpirationDate = expirationDate,
                    CreationDate = change.ChangeDate,
                    ChangeDate = change.ChangeDate,
                };
                return (key, change with { UpsertedTargets = [stored.ToStored() with { PublicKeys = keys.Add(key) }] });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<TargetPublicKey> ActivatePublicKeyAsync(ManagementCaller caller, string targetId, string keyId, CancellationToken cancellationToken = default)
    {
        return await ChangeKeyAsync(
            caller,
            targetId,
            keyId,
            (stored, index, change) =>
            {
                var keys = stored.PublicKeys;
                var key = keys[index];
                if (key.IsActiveAt(change.ChangeDate))
                {
                    return (key, null);
                }

                if (key.IsExpiredAt(change.ChangeDate))
                {
                    throw new ActionExecException(
                        ActionExecErrorCode.FailedPrecondition,
                        string.Create(CultureInfo.InvariantCulture, $"The public key '{keyId}' of target '{targetId}' expired at {key.ExpirationDate!.Value.UtcDateTime:O} and cannot be activated; add a new key and activate that."));
                }

                // Only one key is active: the one active before (even if expired meanwhile) is deactivated in the same change.
                var builder = keys.ToBuilder();
                for (var i = 0; i < builder.Count; i++)
                {
                    if (i == index)
                    {
                        builder[i] = key with { Active = true, ChangeDate = change.ChangeDate };
                    }
                    else if (builder[i].Active)
                    {
                        builder[i] = builder[i] with { Active = false, ChangeDate = change.ChangeDate };
                    }
                }

                return (builder[index], change with { UpsertedTargets = [stored.ToStored() with { PublicKeys = builder.ToImmutable() }] });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<TargetPublicKey> DeactivatePublicKeyAsync(ManagementCaller caller, string targetId, string keyId, CancellationToken cancellationToken = default)
    {
        return await ChangeKeyAsync(
            caller,
            targetId,
            keyId,
            (stored, index, change) =>
            {
                var key = stored.PublicKeys[index];
                if (!key.IsActiveAt(change.ChangeDate))
                {
                    return (AsOf(key, change.ChangeDate), null);
                }

                var deactivated = key with { Active = false, ChangeDate = change.ChangeDate };
                return (deactivated, change with { UpsertedTargets = [stored.ToStored() with { PublicKeys = stored.PublicKeys.SetItem(index, deactivated) }] });
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset> RemovePublicKeyAsync(ManagementCaller caller, string targetId, string keyId, CancellationToken cancellationToken = default)
    {
        return await ChangeKeyAsync(
            caller,
            targetId,
            keyId,
            (stored, index, change) =>
            {
                if (stored.PublicKeys[index].IsActiveAt(change.ChangeDate))
                {
                    throw new ActionExecException(
                        ActionExecErrorCode.FailedPrecondition,
                        $"The public key '{keyId}' is the active key of target '{targetId}' and cannot be removed; deactivate it first, then remove it.");
                }

                return (change.ChangeDate, (TenantChange?)(change with { UpsertedTargets = [stored.ToStored() with { PublicKeys = stored.PublicKeys.RemoveAt(index) }] }));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ImmutableArray<TargetPublicKey>> ListPublicKeysAsync(ManagementCaller caller, string targetId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        var snapshot = await ReadAsync(caller, ActionPermissions.TargetRead, cancellationToken).ConfigureAwait(false);
        if (targetId.Length == 0)
        {
            throw ActionExecException.InvalidArgument([EmptyId("targetId", "target")]);
        }

        var keys = GetStored(snapshot, caller.TenantId, targetId).PublicKeys;
        var now = _time.GetUtcNow();
        var listed = ImmutableArray.CreateBuilder<TargetPublicKey>(keys.Length);
        foreach (var key in keys)
        {
            listed.Add(AsOf(key, now));
        }

        return listed.MoveToImmutable();
    }

    /// <summary>
    /// The shape of every change to one key: the permission, both ids present, then, under the tenant's write lock, the stored
    /// target and the key's index (or <see cref="ActionExecErrorCode.NotFound"/> naming the missing one), and an empty change at
    /// the next sequence for <paramref name="decide"/> to fill, or to return as null when nothing changes.
    /// </summary>
    private async ValueTask<TResult> ChangeKeyAsync<TResult>(
        ManagementCaller caller,
        string targetId,
        string keyId,
        Func<ResolvedTarget, int, TenantChange, (TResult Result, TenantChange? Change)> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        ArgumentNullException.ThrowIfNull(keyId);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var violations = new List<FieldViolation>(2);
        if (targetId.Length == 0)
        {
            violations.Add(EmptyId("targetId", "target"));
        }

        if (keyId.Length == 0)
        {
            violations.Add(EmptyId("keyId", "public key"));
        }

        if (violations.Count > 0)
        {
            throw ActionExecException.InvalidArgument(violations);
        }

        return await _engine.WriteAsync(
            caller.TenantId,
            snapshot =>
            {
                var stored = GetStored(snapshot, caller.TenantId, targetId);
                var index = IndexOfKey(stored.PublicKeys, keyId);
                return index >= 0
                    ? decide(stored, index, NewChange(snapshot, _time.GetUtcNow()))
                    : throw new ActionExecException(
                        ActionExecErrorCode.NotFound,
                        $"The public key '{MessageText.Shorten(keyId)}' does not exist on target '{targetId}' in tenant '{caller.TenantId}'; list the target's public keys to find its id.");
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static int IndexOfKey(ImmutableArray<TargetPublicKey> keys, string keyId)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i].KeyId, keyId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A key as it stands at <paramref name="now"/>: one that expired is no longer active, whatever was stored.</summary>
    private static TargetPublicKey AsOf(TargetPublicKey key, DateTimeOffset now) =>
        key.Active && !key.IsActiveAt(now) ? key with { Active = false } : key;

    private static FieldViolation EmptyId(string field, string what) =>
        new(field, $"The {what} id is empty; give the id of a {what}.");
}
