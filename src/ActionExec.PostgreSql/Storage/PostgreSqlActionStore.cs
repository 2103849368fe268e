using System.Collections.Immutable;
using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.PostgreSql.DependencyInjection;
using ActionExec.PostgreSql.Migrations;
using ActionExec.PostgreSql.Security;
using ActionExec.Storage;
using ActionExec.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace ActionExec.PostgreSql.Storage;

/// <summary>
/// The PostgreSQL store. A tenant is a row of <c>tenants</c> holding its sequence, with its targets and executions in rows
/// of their own. A commit is one transaction: it claims the next sequence with <c>UPDATE … WHERE sequence = expected</c>
/// (another writer got there first: <see cref="ActionExecErrorCode.Aborted"/>, which the engine retries), writes the rows,
/// records the change's id and notifies the other instances. When the answer to a commit is lost (the connection drops or
/// times out), the commit is retried, and the change id tells a commit that did land from one that did not, so a change is
/// never applied twice. Signing keys are written only as <see cref="ISigningKeyProtector"/> protects them; a target's public keys
/// are rows of <c>target_public_keys</c>, rewritten whenever the target is and removed with it.
/// </summary>
internal sealed partial class PostgreSqlActionStore : IActionStore, IAsyncDisposable, IDisposable
{
    internal const int MaxCommitAttempts = 3;

    /// <summary>How many change ids a tenant keeps: enough to recognise any commit still being retried.</summary>
    private const int KeptChangeIds = 100;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ISigningKeyProtector _protector;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SchemaMigrator _migrator;
    private readonly bool _runMigrations;
    private readonly PostgreSqlChangeFeed _feed;
    private readonly Lock _readyLock = new();
    private readonly string _selectSequence;
    private readonly string _selectTargets;
    private readonly string _selectPublicKeys;
    private readonly string _selectExecutions;
    private readonly string _insertTenant;
    private readonly string _updateTenant;
    private readonly string _deleteTargets;
    private readonly string _upsertTarget;
    private readonly string _deletePublicKeys;
    private readonly string _insertPublicKey;
    private readonly string _deleteExecutions;
    private readonly string _upsertExecution;
    private readonly string _recordChange;
    private readonly string _pruneChanges;
    private readonly string _selectChange;
    private Task? _ready;

    public PostgreSqlActionStore(
        IOptions<PostgreSqlStoreOptions> options,
        PostgreSqlDataSourceProvider dataSource,
        ISigningKeyProtector protector,
        TimeProvider timeProvider,
        ILogger<PostgreSqlActionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var value = options.Value;
        var schema = value.Schema;
        _dataSource = dataSource.Get(value);
        _protector = protector;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _runMigrations = value.RunMigrations;
        _migrator = new SchemaMigrator(_dataSource, schema, _logger);
        _feed = new PostgreSqlChangeFeed(_dataSource, schema, value.PollInterval, timeProvider, _logger);
        _selectSequence = $"SELECT sequence FROM {schema}.tenants WHERE tenant_id = $1";
        _selectTargets = $"""
            SELECT target_id, name, endpoint, target_type, timeout, interrupt_on_error, payload_type, signature_scheme,
                   creation_date, change_date, sequence, protected_signing_key
            FROM {schema}.targets WHERE tenant_id = $1
            """;
        _selectPublicKeys = $"""
            SELECT target_id, key_id, public_key, fingerprint, active, expiration_date, creation_date, change_date
            FROM {schema}.target_public_keys WHERE tenant_id = $1 ORDER BY target_id, position
            """;
        _selectExecutions = $"SELECT condition_id, entries, sequence, change_date, resource_owner, COALESCE(creation_date, change_date) FROM {schema}.executions WHERE tenant_id = $1";
        _insertTenant = $"INSERT INTO {schema}.tenants (tenant_id, sequence, change_date) VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO NOTHING";
        _updateTenant = $"UPDATE {schema}.tenants SET sequence = $2, change_date = $3 WHERE tenant_id = $1 AND sequence = $4";
        _deleteTargets = $"DELETE FROM {schema}.targets WHERE tenant_id = $1 AND target_id = ANY($2)";
        _upsertTarget = $"""
            INSERT INTO {schema}.targets (tenant_id, target_id, name, endpoint, target_type, timeout, interrupt_on_error, payload_type,
                                          signature_scheme, creation_date, change_date, sequence, protected_signing_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (tenant_id, target_id) DO UPDATE SET
                name = EXCLUDED.name, endpoint = EXCLUDED.endpoint, target_type = EXCLUDED.target_type, timeout = EXCLUDED.timeout,
                interrupt_on_error = EXCLUDED.interrupt_on_error, payload_type = EXCLUDED.payload_type,
                signature_scheme = EXCLUDED.signature_scheme, creation_date = EXCLUDED.creation_date,
                change_date = EXCLUDED.change_date, sequence = EXCLUDED.sequence, protected_signing_key = EXCLUDED.protected_signing_key
            """;
        _deletePublicKeys = $"DELETE FROM {schema}.target_public_keys WHERE tenant_id = $1 AND target_id = ANY($2)";
        _insertPublicKey = $"""
            INSERT INTO {schema}.target_public_keys (tenant_id, target_id, key_id, position, public_key, fingerprint, active,
                                                     expiration_date, creation_date, change_date)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """;
        _deleteExecutions = $"DELETE FROM {schema}.executions WHERE tenant_id = $1 AND condition_id = ANY($2)";
        _upsertExecution = $"""
            INSERT INTO {schema}.executions (tenant_id, condition_id, entries, sequence, change_date, resource_owner, creation_date)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (tenant_id, condition_id) DO UPDATE SET
                entries = EXCLUDED.entries, sequence = EXCLUDED.sequence, change_date = EXCLUDED.change_date,
                resource_owner = EXCLUDED.resource_owner, creation_date = EXCLUDED.creation_date
            """;
        _recordChange = $"INSERT INTO {schema}.applied_changes (change_id, tenant_id, sequence) VALUES ($1, $2, $3)";
        _pruneChanges = $"DELETE FROM {schema}.applied_changes WHERE tenant_id = $1 AND sequence <= $2";
        _selectChange = $"SELECT EXISTS (SELECT 1 FROM {schema}.applied_changes WHERE change_id = $1)";
    }

    /// <summary>The change feed: exposed for tests that cut the listener and count reconnects.</summary>
    internal PostgreSqlChangeFeed Feed => _feed;

    /// <summary>
    /// Runs after the server acknowledged a commit and before the store reports it. Tests set it to throw a transient error,
    /// which is exactly what a client sees when the answer to <c>COMMIT</c> is lost.
    /// </summary>
    internal Func<TenantChange, ValueTask>? AfterCommit { get; set; }

    /// <summary>Applies the migrations (or, with them off, checks the schema is current) once; a failed attempt is tried again on the next call.</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is { IsCompletedSuccessfully: true })
        {
            return ready;
        }

        lock (_readyLock)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = _runMigrations ? _migrator.MigrateAsync(CancellationToken.None) : _migrator.VerifyAsync(CancellationToken.None);
            }

            return _ready.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask<TenantState> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await LoadCoreAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable($"Loading tenant '{tenantId}' failed", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ulong> GetSequenceAsync(string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await ReadSequenceAsync(connection, null, tenantId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable($"Reading the sequence of tenant '{tenantId}' failed", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(TenantChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable($"The change to tenant '{change.TenantId}' was not applied", e);
        }

        // Protected once, so that every attempt writes the same rows.
        var protectedKeys = new string[change.UpsertedTargets.Length];
        for (var i = 0; i < protectedKeys.Length; i++)
        {
            protectedKeys[i] = _protector.Protect(change.UpsertedTargets[i].SigningKey);
        }

        var changeId = Guid.CreateVersion7(_timeProvider.GetUtcNow());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!await CommitOnceAsync(change, protectedKeys, changeId, retrying: attempt > 1, cancellationToken).ConfigureAwait(false))
                {
                    LogAmbiguousCommitLanded(change.TenantId, change.Sequence);
                }

                break;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= MaxCommitAttempts)
                {
                    throw new ActionExecException(
                        ActionExecErrorCode.Unavailable,
                        string.Create(CultureInfo.InvariantCulture, $"The change to tenant '{change.TenantId}' (sequence {change.Sequence}) could not be confirmed by the database after {attempt} attempts: {e.Message} Retry when the database is reachable; a reload shows whether the change landed."),
                        [],
                        e);
                }

                LogCommitRetried(change.TenantId, change.Sequence, attempt, e);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        _feed.Committed(change.TenantId, change.Sequence);
    }

    /// <inheritdoc />
    public IChangeToken Watch(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        return _feed.Watch(tenantId);
    }

    public void Dispose() => _feed.Dispose();

    public ValueTask DisposeAsync() => _feed.DisposeAsync();

    private async ValueTask<TenantState> LoadCoreAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One snapshot for the four reads, so that the rows are those of the sequence read.
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        Command(_selectSequence, tenantId),
                        Command(_selectPublicKeys, tenantId),
                        Command(_selectTargets, tenantId),
                        Command(_selectExecutions, tenantId),
                    },
                };
                await using (batch.ConfigureAwait(false))
                {
                    var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var sequence = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (ulong)reader.GetInt64(0) : 0UL;
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        var keys = new Dictionary<string, ImmutableArray<TargetPublicKey>.Builder>(StringComparer.Ordinal);
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            ReadPublicKey(reader, keys);
                        }

                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        var targets = ImmutableArray.CreateBuilder<StoredTarget>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            var target = ReadTarget(tenantId, reader);
                            targets.Add(keys.TryGetValue(target.Target.Id, out var targetKeys) ? target with { PublicKeys = targetKeys.ToImmutable() } : target);
                        }

                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        var executions = ImmutableArray.CreateBuilder<Execution>();
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            executions.Add(ReadExecution(reader));
                        }

                        _feed.Loaded(tenantId, sequence);
                        return new TenantState
                        {
                            TenantId = tenantId,
                            Sequence = sequence,
                            Targets = targets.ToImmutable(),
                            Executions = executions.ToImmutable(),
                        };
                    }
                }
            }
        }
    }

    private static ActionExecException Unavailable(string what, Exception e) =>
        new(ActionExecErrorCode.Unavailable, $"{what}: the database could not be reached ({e.Message}). Retry when it is reachable.", [], e);

    private static bool IsTransient(Exception e) => e is NpgsqlException { IsTransient: true } or TimeoutException or IOException;

    private static NpgsqlBatchCommand Command(string sql, params ReadOnlySpan<object> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static long ToBigint(ulong value) => checked((long)value);

    private async Task<ulong> ReadSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenantId, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(_selectSequence, connection, transaction) { Parameters = { new() { Value = tenantId } } };
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long sequence ? (ulong)sequence : 0UL;
        }
    }

    /// <summary>
    /// Runs one attempt of a commit. Returns <see langword="true"/> when this attempt applied the change, and
    /// <see langword="false"/> when a retry finds that an earlier attempt whose answer was lost had applied it: the claim of
    /// the sequence then fails (it waits for that attempt's transaction if the server is still finishing it), and the change
    /// id tells the two cases apart.
    /// </summary>
    private async Task<bool> CommitOnceAsync(TenantChange change, string[] protectedKeys, Guid changeId, bool retrying, CancellationToken cancellationToken)
    {
        var tenantId = change.TenantId;
        var sequence = ToBigint(change.Sequence);
        var changeDate = change.ChangeDate.ToUniversalTime();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var claim = change.ExpectedSequence == 0
                    ? new NpgsqlCommand(_insertTenant, connection, transaction) { Parameters = { new() { Value = tenantId }, new() { Value = sequence }, new() { Value = changeDate } } }
                    : new NpgsqlCommand(_updateTenant, connection, transaction) { Parameters = { new() { Value = tenantId }, new() { Value = sequence }, new() { Value = changeDate }, new() { Value = ToBigint(change.ExpectedSequence) } } };
                await using (claim.ConfigureAwait(false))
                {
                    if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        if (retrying && await IsRecordedAsync(connection, transaction, changeId, cancellationToken).ConfigureAwait(false))
                        {
                            return false;
                        }

                        var actual = await ReadSequenceAsync(connection, transaction, tenantId, cancellationToken).ConfigureAwait(false);
                        throw new ActionExecException(
                            ActionExecErrorCode.Aborted,
                            string.Create(CultureInfo.InvariantCulture, $"The tenant '{tenantId}' was changed concurrently: its sequence is {actual}, not {change.ExpectedSequence}; reload and retry."));
                    }
                }

                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    AddWrites(batch, change, protectedKeys);
                    batch.BatchCommands.Add(Command(_recordChange, changeId, tenantId, sequence));
                    batch.BatchCommands.Add(Command(_pruneChanges, tenantId, sequence - KeptChangeIds));
                    batch.BatchCommands.Add(Command("SELECT pg_notify($1, $2)", _feed.Channel, PostgreSqlChangeFeed.Payload(tenantId, change.Sequence)));
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Once COMMIT is sent the outcome is the server's; cancelling now would only make it ambiguous.
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (AfterCommit is { } afterCommit)
        {
            await afterCommit(change).ConfigureAwait(false);
        }

        return true;
    }

    private void AddWrites(NpgsqlBatch batch, TenantChange change, string[] protectedKeys)
    {
        var tenantId = change.TenantId;
        if (!change.DeletedTargetIds.IsEmpty)
        {
            batch.BatchCommands.Add(Command(_deleteTargets, tenantId, change.DeletedTargetIds.ToArray()));
        }

        for (var i = 0; i < change.UpsertedTargets.Length; i++)
        {
            var target = change.UpsertedTargets[i].Target;
            batch.BatchCommands.Add(Command(
                _upsertTarget,
                tenantId,
                target.Id,
                target.Name,
                target.Endpoint,
                StoredValues.Name(target.Type),
                target.Timeout,
                target.InterruptOnError,
                StoredValues.Name(target.PayloadType),
                StoredValues.Name(target.SignatureScheme),
                target.CreationDate.ToUniversalTime(),
                target.ChangeDate.ToUniversalTime(),
                ToBigint(target.Sequence),
                protectedKeys[i]));
        }

        if (!change.UpsertedTargets.IsEmpty)
        {
            // A target's keys are replaced with it: fewer than a dozen rows, written whole, like the target row itself.
            var ids = new string[change.UpsertedTargets.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = change.UpsertedTargets[i].Target.Id;
            }

            batch.BatchCommands.Add(Command(_deletePublicKeys, tenantId, ids));
            foreach (var stored in change.UpsertedTargets)
            {
                for (var position = 0; position < stored.PublicKeys.Length; position++)
                {
                    var key = stored.PublicKeys[position];
                    batch.BatchCommands.Add(Command(
                        _insertPublicKey,
                        tenantId,
                        stored.Target.Id,
                        key.KeyId,
                        position,
                        key.PublicKey,
                        key.Fingerprint,
                        key.Active,
                        key.ExpirationDate is { } expiration ? expiration.ToUniversalTime() : DBNull.Value,
                        key.CreationDate.ToUniversalTime(),
                        key.ChangeDate.ToUniversalTime()));
                }
            }
        }

        if (!change.DeletedExecutions.IsEmpty)
        {
            var ids = new string[change.DeletedExecutions.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = change.DeletedExecutions[i].Id;
            }

            batch.BatchCommands.Add(Command(_deleteExecutions, tenantId, ids));
        }

        foreach (var execution in change.UpsertedExecutions)
        {
            batch.BatchCommands.Add(Command(
                _upsertExecution,
                tenantId,
                execution.Id,
                StoredValues.Entries(execution),
                ToBigint(execution.Details.Sequence),
                execution.Details.ChangeDate.ToUniversalTime(),
                execution.Details.ResourceOwner,
                execution.CreationDate.ToUniversalTime()));
        }
    }

    private async Task<bool> IsRecordedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid changeId, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(_selectChange, connection, transaction) { Parameters = { new() { Value = changeId } } };
        await using (command.ConfigureAwait(false))
        {
            return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private StoredTarget ReadTarget(string tenantId, NpgsqlDataReader reader)
    {
        var id = reader.GetString(0);
        var target = new Target
        {
            Id = id,
            Name = reader.GetString(1),
            Endpoint = reader.GetString(2),
            Type = StoredValues.ParseTargetType(reader.GetString(3)),
            Timeout = reader.GetFieldValue<TimeSpan>(4),
            InterruptOnError = reader.GetBoolean(5),
            PayloadType = StoredValues.ParsePayloadType(reader.GetString(6)),
            SignatureScheme = StoredValues.ParseSignatureScheme(reader.GetString(7)),
            CreationDate = reader.GetFieldValue<DateTimeOffset>(8),
            ChangeDate = reader.GetFieldValue<DateTimeOffset>(9),
            Sequence = (ulong)reader.GetInt64(10),
        };
        string signingKey;
        try
        {
            signingKey = _protector.Unprotect(reader.GetString(11));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The signing key of target '{id}' of tenant '{tenantId}' cannot be decrypted: {e.Message} Every instance must use the same key protector; with ASP.NET Core Data Protection, share one key ring and application name (PersistKeysTo…, SetApplicationName).",
                e);
        }

        return new StoredTarget(target, signingKey);
    }

    private static void ReadPublicKey(NpgsqlDataReader reader, Dictionary<string, ImmutableArray<TargetPublicKey>.Builder> keys)
    {
        var targetId = reader.GetString(0);
        if (!keys.TryGetValue(targetId, out var list))
        {
            list = ImmutableArray.CreateBuilder<TargetPublicKey>();
            keys.Add(targetId, list);
        }

        list.Add(new TargetPublicKey
        {
            KeyId = reader.GetString(1),
            PublicKey = reader.GetString(2),
            Fingerprint = reader.GetString(3),
            Active = reader.GetBoolean(4),
            ExpirationDate = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            CreationDate = reader.GetFieldValue<DateTimeOffset>(6),
            ChangeDate = reader.GetFieldValue<DateTimeOffset>(7),
        });
    }

    private static Execution ReadExecution(NpgsqlDataReader reader)
    {
        var values = reader.GetFieldValue<string[]>(1);
        var entries = ImmutableArray.CreateBuilder<ExecutionEntry>(values.Length);
        foreach (var value in values)
        {
            entries.Add(StoredValues.ParseEntry(value));
        }

        return new Execution(
            Conditions.Condition.Parse(reader.GetString(0)),
            entries.MoveToImmutable(),
            new ExecutionDetails((ulong)reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)))
        {
            CreationDate = reader.GetFieldValue<DateTimeOffset>(5),
        };
    }

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Committing to tenant {TenantId} at sequence {Sequence} failed transiently (attempt {Attempt}); checking whether it landed and retrying.")]
    private partial void LogCommitRetried(string tenantId, ulong sequence, int attempt, Exception exception);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "The commit to tenant {TenantId} at sequence {Sequence} had landed although its answer was lost; it is not applied again.")]
    private partial void LogAmbiguousCommitLanded(string tenantId, ulong sequence);
}
