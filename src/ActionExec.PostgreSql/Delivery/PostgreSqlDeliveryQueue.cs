using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ActionExec.Delivery;
using ActionExec.Errors;
using ActionExec.PostgreSql.DependencyInjection;
using ActionExec.PostgreSql.Migrations;
using ActionExec.PostgreSql.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ActionExec.PostgreSql.Delivery;

/// <summary>
/// The durable delivery queue and its history: one row of <c>deliveries</c> per delivery from its enqueue until retention purges
/// it, and one row of <c>delivery_attempts</c> per attempt. Workers of every instance share the table: a lease is an
/// <c>UPDATE … FOR UPDATE SKIP LOCKED</c> that sets a new lease id and moves the due time to the lease's end, so a delivery whose
/// lease ran out is simply due again; every later change names the lease id and its end, and does nothing (answering
/// <see langword="false"/>) when the lease was lost. A change and the attempts it records are one statement. Every time that
/// decides what is due comes from the injected <see cref="TimeProvider"/>, never from the database's clock.
/// </summary>
/// <remarks>
/// Enqueues, reschedules and replays notify <c>&lt;schema&gt;_deliveries</c> (on commit), which the store's change feed listens to on
/// its one connection; <see cref="WaitAsync"/> wakes on that, on the earliest due time it knows, and at the latest after
/// <see cref="PostgreSqlStoreOptions.PollInterval"/>, so a worker also finds work whose notification it missed.
/// </remarks>
internal sealed partial class PostgreSqlDeliveryQueue : IDeliveryQueue, IDeliveryHistory, IDisposable
{
    /// <summary>The most finished deliveries one purge statement deletes; the purge repeats until fewer are left.</summary>
    internal const int PurgeBatchSize = 1000;

    private const short Pending = (short)DeliveryStatus.Pending;

    /// <summary>How often an instance purges finished deliveries past retention (whichever instance gets there first does it).</summary>
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlActionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _retention;
    private readonly bool _recordBodies;
    private readonly string _channel;
    private readonly AsyncLocal<NpgsqlTransaction?> _enlisted = new();
    private readonly Lock _gate = new();
    private readonly string _deleteExpired;
    private readonly string _insert;
    private readonly string _lease;
    private readonly string _nextDue;
    private readonly string _extend;
    private readonly string _checkpoint;
    private readonly string _finish;
    private readonly string _count;
    private readonly string _queryPage;
    private readonly string _queryCount;
    private readonly string _get;
    private readonly string _getAttempts;
    private readonly string _replay;
    private readonly string _replayDeadLetters;
    private readonly string _exists;
    private readonly string _purge;
    private TaskCompletionSource _signal = NewSignal();
    private long _signals;
    // Unknown at first: the first wait reads it from the table.
    private long _earliestDueTicks = long.MinValue;
    private long _nextPurgeTicks;
    private int _purging;
    private int _subscribed;
    private volatile bool _closed;

    public PostgreSqlDeliveryQueue(
        IOptions<PostgreSqlStoreOptions> storeOptions,
        IOptions<DeliveryOptions> deliveryOptions,
        PostgreSqlDataSourceProvider dataSource,
        PostgreSqlActionStore store,
        TimeProvider time,
        ILogger<PostgreSqlDeliveryQueue>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storeOptions);
        ArgumentNullException.ThrowIfNull(deliveryOptions);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var options = storeOptions.Value;
        var delivery = deliveryOptions.Value;
        var schema = options.Schema;
        _dataSource = dataSource.Get(options);
        _store = store;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pollInterval = options.PollInterval;
        _retention = delivery.HistoryRetention;
        _recordBodies = delivery.RecordBodies;
        _channel = SchemaName.DeliveriesChannel(schema);

        const string Columns = "d.id, d.tenant_id, d.source, d.target_ids, d.payload, d.created_at, d.next_target, d.attempts, d.last_status, d.last_reason, d.given_up_target_ids, d.replays, d.replayed_at";
        const string RecordColumns = "d.id, d.tenant_id, d.source, d.target_ids, d.status, d.created_at, d.updated_at, d.due_at, d.given_up_target_ids, d.replays";
        const string Progress = "target_ids = $4, next_target = $5, attempts = $6, last_status = $7, last_reason = $8, given_up_target_ids = $9, updated_at = $3";
        const string Retained = "(d.status = 0 OR d.updated_at > $3)";

        // A finished delivery past retention that the purge has not reached yet is gone as far as anyone can tell, so its id is free.
        _deleteExpired = $"DELETE FROM {schema}.deliveries WHERE id = $1 AND status <> 0 AND updated_at <= $2";
        _insert = $"""
            WITH inserted AS (
                INSERT INTO {schema}.deliveries (id, tenant_id, source, target_ids, payload, created_at, replayed_at, replays, status, due_at,
                                                 next_target, attempts, last_status, last_reason, given_up_target_ids, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12, $13, $14, $15)
                ON CONFLICT (id) DO NOTHING
                RETURNING id)
            SELECT count(*) FROM (SELECT pg_notify($16, $17) FROM inserted) notified
            """;
        _lease = $"""
            WITH due AS (
                SELECT id, due_at FROM {schema}.deliveries
                WHERE status = 0 AND due_at <= $1
                ORDER BY due_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE {schema}.deliveries d SET lease_id = gen_random_uuid(), leased_until = $2, due_at = $2
                FROM due WHERE d.id = due.id
                RETURNING due.due_at AS was_due, d.lease_id, {Columns}),
            upcoming AS (
                SELECT min(due_at) AS next_due FROM {schema}.deliveries
                WHERE status = 0 AND NOT (id = ANY (ARRAY(SELECT id FROM due))))
            SELECT upcoming.next_due, leased.* FROM upcoming LEFT JOIN leased ON true
            """;
        _nextDue = $"SELECT min(due_at) FROM {schema}.deliveries WHERE status = 0";
        _extend = $"UPDATE {schema}.deliveries SET leased_until = $4, due_at = $4 WHERE id = $1 AND lease_id = $2 AND status = 0 AND leased_until > $3";
        _checkpoint = UnderLease(schema, Progress, notify: false);
        _finish = FinishSql(schema);
        _count = $"SELECT count(*) FROM {schema}.deliveries WHERE status = 0";
        const string Filters = $"""
            d.tenant_id = $1 AND {Retained}
            AND ($2::smallint IS NULL OR d.status = $2) AND ($4::text IS NULL OR $4 = ANY (d.target_ids))
            AND ($5::timestamptz IS NULL OR d.created_at >= $5) AND ($6::timestamptz IS NULL OR d.created_at < $6)
            """;
        _queryPage = $"SELECT {RecordColumns} FROM {schema}.deliveries d WHERE {Filters} ORDER BY d.created_at DESC, d.id DESC OFFSET $7 LIMIT $8";
        _queryCount = $"SELECT count(*) FROM {schema}.deliveries d WHERE {Filters}";
        _get = $"SELECT {RecordColumns}, d.payload FROM {schema}.deliveries d WHERE d.id = $2 AND d.tenant_id = $1 AND {Retained}";
        _getAttempts = $"""
            SELECT target_id, attempt, started_at, duration, outcome, status_code, reason, response_body
            FROM {schema}.delivery_attempts WHERE delivery_id = $2 AND tenant_id = $1 ORDER BY seq
            """;

        // PostgreSQL sends identical notifications of one transaction once, so notifying per replayed row costs one.
        // A dead letter is sent again to what it gave up; a delivered one to all its targets. The SET list reads the row as it was.
        const string Replay = """
            status = 0, due_at = $4, lease_id = NULL, leased_until = NULL, next_target = 0, attempts = 0, last_status = NULL,
            last_reason = NULL, target_ids = CASE WHEN d.status = 2 THEN d.given_up_target_ids ELSE d.target_ids END,
            given_up_target_ids = '{}', replays = d.replays + 1, replayed_at = $4, updated_at = $4
            """;
        _replay = $"""
            WITH replayed AS (
                UPDATE {schema}.deliveries d SET {Replay}
                WHERE d.id = $2 AND d.tenant_id = $1 AND d.status <> 0 AND d.updated_at > $3
                RETURNING {RecordColumns}, d.payload)
            SELECT replayed.*, (SELECT count(*) FROM (SELECT pg_notify($5, $6)) notified) FROM replayed
            """;
        _replayDeadLetters = $"""
            WITH replayed AS (
                UPDATE {schema}.deliveries d SET {Replay}
                WHERE d.tenant_id = $1 AND d.status = 2 AND d.updated_at > $3 AND d.created_at >= $2
                  AND ($7::text IS NULL OR $7 = ANY (d.given_up_target_ids))
                RETURNING d.id)
            SELECT count(*) FROM (SELECT pg_notify($5, $6) FROM replayed) notified
            """;
        _exists = $"SELECT d.status FROM {schema}.deliveries d WHERE d.id = $2 AND d.tenant_id = $1 AND {Retained}";
        _purge = $"""
            DELETE FROM {schema}.deliveries WHERE id IN (
                SELECT id FROM {schema}.deliveries WHERE status <> 0 AND updated_at <= $1
                ORDER BY updated_at LIMIT {PurgeBatchSize} FOR UPDATE SKIP LOCKED)
            """;
    }

    /// <summary>The earliest due time this instance knows of (a lease's end included); <see langword="null"/> when unknown or none.</summary>
    internal DateTimeOffset? KnownDueAt
    {
        get
        {
            lock (_gate)
            {
                return _earliestDueTicks is long.MinValue or long.MaxValue ? null : new DateTimeOffset(_earliestDueTicks, TimeSpan.Zero);
            }
        }
    }

    /// <summary>The channel enqueues, reschedules and replays notify.</summary>
    internal string Channel => _channel;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is null.</exception>
    /// <exception cref="ArgumentException">The delivery has no id, no tenant or no target list.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached or the queue is closed.</exception>
    public async ValueTask<bool> EnqueueAsync(BackgroundDelivery delivery, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (string.IsNullOrEmpty(delivery.Id) || string.IsNullOrEmpty(delivery.TenantId) || delivery.TargetIds.IsDefault)
        {
            throw new ArgumentException("A delivery needs an id, a tenant and a target list.", nameof(delivery));
        }

        if (_closed)
        {
            throw new ActionExecException(
                ActionExecErrorCode.Unavailable,
                $"The delivery queue is closed because the host is shutting down, so delivery '{delivery.Id}' was not queued; publish it again once the host has restarted.");
        }

        var transaction = _enlisted.Value;
        var now = _time.GetUtcNow();
        var inserted = await RunAsync(
            $"Queuing delivery '{delivery.Id}'",
            async (connection, ct) =>
            {
                var insert = new NpgsqlCommand(_insert, connection, transaction);
                AddInsertParameters(insert.Parameters, delivery, dueAt, now);
                await using (insert.ConfigureAwait(false))
                {
                    if ((long)(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0)
                    {
                        return true;
                    }
                }

                // The id is taken. Only when it belongs to a finished delivery past retention, which the purge has not reached yet,
                // is it free again: that costs a second round trip on this rare path, not a statement on every enqueue.
                var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands = { Command(_deleteExpired, delivery.Id, now - _retention), new NpgsqlBatchCommand(_insert) },
                };
                AddInsertParameters(batch.BatchCommands[1].Parameters, delivery, dueAt, now);
                await using (batch.ConfigureAwait(false))
                {
                    return (long)(await batch.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0;
                }
            },
            transaction?.Connection,
            cancellationToken).ConfigureAwait(false);

        // Enlisted in the host's transaction, the row exists only once that commits; its notification tells the workers then.
        if (inserted && transaction is null)
        {
            Known(dueAt);
        }

        return inserted;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1, or <paramref name="duration"/> is not positive.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public async ValueTask<IReadOnlyList<DeliveryLease>> LeaseAsync(int maxCount, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        var until = now + duration;
        var signals = Interlocked.Read(ref _signals);
        await PurgeIfDueAsync(now, cancellationToken).ConfigureAwait(false);
        var (leases, nextDue) = await RunAsync(
            "Leasing deliveries",
            async (connection, ct) =>
            {
                // One statement: the lease, and when the next delivery it did not take is due (read before the lease, so the
                // leased rows are left out of it and stand for their lease's end instead).
                var command = new NpgsqlCommand(_lease, connection) { Parameters = { Value(now), Value(until), Value(maxCount) } };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var leased = new List<(DateTimeOffset WasDue, DeliveryLease Lease)>();
                        DateTimeOffset? next = null;
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            next = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
                            if (reader.IsDBNull(2))
                            {
                                continue;
                            }

                            var wasDue = reader.GetFieldValue<DateTimeOffset>(1);
                            var leaseId = reader.GetGuid(2).ToString("N");
                            leased.Add((wasDue, new DeliveryLease(ReadDelivery(reader, 3), leaseId, until)));
                        }

                        if (leased.Count > 0 && (next is null || next > until))
                        {
                            next = until;
                        }

                        leased.Sort(static (a, b) => a.WasDue.CompareTo(b.WasDue));
                        var result = new DeliveryLease[leased.Count];
                        for (var i = 0; i < result.Length; i++)
                        {
                            result[i] = leased[i].Lease;
                        }

                        return (result, next);
                    }
                }
            },
            null,
            cancellationToken).ConfigureAwait(false);

        // The database's answer replaces what this instance knew, unless a notification came in meanwhile.
        lock (_gate)
        {
            var ticks = nextDue?.UtcTicks ?? long.MaxValue;
            if (Interlocked.Read(ref _signals) != signals)
            {
                ticks = Math.Min(ticks, _earliestDueTicks);
            }

            _earliestDueTicks = ticks;
        }

        return leases;
    }

    /// <inheritdoc />
    public async ValueTask WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Subscribe();
        Task signal;
        long earliest;
        lock (_gate)
        {
            signal = _signal.Task;
            earliest = _earliestDueTicks;
        }

        // No maximum (an infinite wait) still looks again after the poll interval, for what a lost notification announced.
        var bound = maxWait == Timeout.InfiniteTimeSpan || maxWait > _pollInterval ? _pollInterval : maxWait;
        if (bound <= TimeSpan.Zero)
        {
            return;
        }

        // The bound is armed before anything is awaited, so that it runs on the clock from the call.
        var wake = NewSignal();
        var boundTimer = _time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), wake, bound < MaxTimerDelay ? bound : MaxTimerDelay, Timeout.InfiniteTimeSpan);
        await using (boundTimer.ConfigureAwait(false))
        {
            if (earliest == long.MinValue)
            {
                earliest = await LearnNextDueAsync(cancellationToken).ConfigureAwait(false);
            }

            var now = _time.GetUtcNow().UtcTicks;
            if (earliest <= now)
            {
                return;
            }

            var untilDue = earliest == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Min(earliest - now, MaxTimerDelay.Ticks));
            var dueTimer = _time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), wake, untilDue, Timeout.InfiniteTimeSpan);
            await using (dueTimer.ConfigureAwait(false))
            {
                await Task.WhenAny(signal, wake.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="lease"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<bool> ExtendLeaseAsync(DeliveryLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (!TryParseLease(lease, out var leaseId))
        {
            return ValueTask.FromResult(false);
        }

        var now = _time.GetUtcNow();
        return RunAsync(
            $"Extending the lease of delivery '{lease.Delivery.Id}'",
            async (connection, ct) =>
            {
                var command = new NpgsqlCommand(_extend, connection) { Parameters = { Value(lease.Delivery.Id), Value(leaseId), Value(now), Value(now + duration) } };
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
                }
            },
            null,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<bool> CheckpointAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        ChangeUnderLeaseAsync(_checkpoint, "Recording the progress of", lease, progress, attempts, dueAt: null, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public async ValueTask<bool> RescheduleAsync(DeliveryLease lease, BackgroundDelivery progress, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        var changed = await FinishAsync(lease, progress, DeliveryStatus.Pending, dueAt, attempts, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            Known(dueAt);
        }

        return changed;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<bool> CompleteAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        FinishAsync(lease, progress, DeliveryStatus.Delivered, dueAt: null, attempts, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="progress"/> is another delivery than the lease's.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<bool> DeadLetterAsync(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken) =>
        FinishAsync(lease, progress, DeliveryStatus.DeadLettered, dueAt: null, attempts, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => RunAsync(
        "Counting the pending deliveries",
        async (connection, ct) =>
        {
            var command = new NpgsqlCommand(_count, connection);
            await using (command.ConfigureAwait(false))
            {
                return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }
        },
        null,
        cancellationToken);

    /// <inheritdoc />
    /// <remarks>Returns nothing: every unfinished delivery stays in the database and is delivered after the restart, by this or another instance.</remarks>
    public ValueTask<IReadOnlyList<BackgroundDelivery>> CloseAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        Signal();
        return ValueTask.FromResult<IReadOnlyList<BackgroundDelivery>>([]);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<DeliveryPage> QueryAsync(string tenantId, DeliveryQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(query);
        var now = _time.GetUtcNow();
        return RunAsync(
            $"Listing the deliveries of tenant '{tenantId}'",
            async (connection, ct) =>
            {
                object[] filters =
                [
                    tenantId,
                    Nullable(query.Status is { } status ? (short)status : null, NpgsqlDbType.Smallint),
                    now - _retention,
                    Nullable(query.TargetId, NpgsqlDbType.Text),
                    Nullable(query.From?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                    Nullable(query.To?.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                ];
                var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        Command(_queryPage, [.. filters, Math.Max(query.Offset, 0), Math.Clamp(query.Limit, 1, DeliveryQuery.MaxLimit)]),
                        Command(_queryCount, filters),
                    },
                };
                await using (batch.ConfigureAwait(false))
                {
                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var records = ImmutableArray.CreateBuilder<DeliveryRecord>();
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            records.Add(ReadRecord(reader));
                        }

                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        return new DeliveryPage(records.ToImmutable(), reader.GetInt64(0));
                    }
                }
            },
            null,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> or <paramref name="deliveryId"/> is empty.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    public ValueTask<DeliveryRecord?> GetAsync(string tenantId, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        var now = _time.GetUtcNow();
        return RunAsync(
            $"Reading delivery '{deliveryId}'",
            async (connection, ct) =>
            {
                var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        Command(_get, tenantId, deliveryId, now - _retention),
                        Command(_getAttempts, tenantId, deliveryId),
                    },
                };
                await using (batch.ConfigureAwait(false))
                {
                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            return null;
                        }

                        var record = ReadRecord(reader);
                        var payload = _recordBodies ? Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(10)) : null;
                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                        var attempts = ImmutableArray.CreateBuilder<DeliveryAttempt>();
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            attempts.Add(ReadAttempt(reader, record));
                        }

                        return record with { Attempts = attempts.ToImmutable(), Payload = payload };
                    }
                }
            },
            null,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> or <paramref name="deliveryId"/> is empty.</exception>
    /// <exception cref="ActionExecException">
    /// <see cref="ActionExecErrorCode.FailedPrecondition"/> when the delivery is still pending; <see cref="ActionExecErrorCode.Unavailable"/>
    /// when the database cannot be reached or the queue is closed.
    /// </exception>
    public async ValueTask<DeliveryRecord?> ReplayAsync(string tenantId, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        ThrowIfClosedForReplay(deliveryId);
        var now = _time.GetUtcNow();
        var (record, pending) = await RunAsync(
            $"Replaying delivery '{deliveryId}'",
            async (connection, ct) =>
            {
                var command = new NpgsqlCommand(_replay, connection)
                {
                    Parameters = { Value(tenantId), Value(deliveryId), Value(now - _retention), Value(now), Value(_channel), Value(DuePayload(now)) },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            var replayed = ReadRecord(reader);
                            var payload = _recordBodies ? Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(10)) : null;
                            return (replayed with { Payload = payload }, false);
                        }
                    }
                }

                var exists = new NpgsqlCommand(_exists, connection) { Parameters = { Value(tenantId), Value(deliveryId), Value(now - _retention) } };
                await using (exists.ConfigureAwait(false))
                {
                    return ((DeliveryRecord?)null, await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is short status && status == Pending);
                }
            },
            null,
            cancellationToken).ConfigureAwait(false);

        if (pending)
        {
            throw new ActionExecException(
                ActionExecErrorCode.FailedPrecondition,
                $"Delivery '{deliveryId}' is still pending, so it cannot be replayed; wait until it is delivered or dead-lettered.");
        }

        if (record is null)
        {
            return null;
        }

        Known(now);

        // The attempts of the earlier runs stay in the history; the record answers with them as GetAsync would.
        return await GetAsync(tenantId, deliveryId, cancellationToken).ConfigureAwait(false) ?? record;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is empty.</exception>
    /// <exception cref="ActionExecException"><see cref="ActionExecErrorCode.Unavailable"/> when the database cannot be reached or the queue is closed.</exception>
    public async ValueTask<int> ReplayDeadLettersAsync(string tenantId, DateTimeOffset since, string? targetId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ThrowIfClosedForReplay("dead letters");
        var now = _time.GetUtcNow();
        var replayed = await RunAsync(
            $"Replaying the dead letters of tenant '{tenantId}'",
            async (connection, ct) =>
            {
                var command = new NpgsqlCommand(_replayDeadLetters, connection)
                {
                    Parameters =
                    {
                        Value(tenantId), Value(since.ToUniversalTime()), Value(now - _retention), Value(now), Value(_channel), Value(DuePayload(now)),
                        Nullable(targetId, NpgsqlDbType.Text),
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        return checked((int)reader.GetInt64(0));
                    }
                }
            },
            null,
            cancellationToken).ConfigureAwait(false);
        if (replayed > 0)
        {
            Known(now);
        }

        return replayed;
    }

    /// <summary>
    /// Makes every delivery this async flow queues, until the returned scope is disposed, an insert in <paramref name="transaction"/>:
    /// it exists if and only if the host's transaction commits, and the workers hear of it then.
    /// </summary>
    internal Scope Enlist(NpgsqlTransaction transaction)
    {
        var previous = _enlisted.Value;
        _enlisted.Value = transaction;
        return new Scope(this, previous);
    }

    /// <summary>
    /// Deletes the finished deliveries (and their attempts) that are past <see cref="DeliveryOptions.HistoryRetention"/>, a bounded
    /// batch per statement, skipping rows another instance is purging at the same time. Returns how many it deleted.
    /// </summary>
    internal async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - _retention;
        var purged = 0;
        while (true)
        {
            var deleted = await RunAsync(
                "Purging the delivery history",
                async (connection, ct) =>
                {
                    var command = new NpgsqlCommand(_purge, connection) { Parameters = { Value(cutoff) } };
                    await using (command.ConfigureAwait(false))
                    {
                        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                },
                null,
                cancellationToken).ConfigureAwait(false);
            purged += deleted;
            if (deleted < PurgeBatchSize)
            {
                return purged;
            }
        }
    }

    public void Dispose()
    {
        _closed = true;
        Signal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string UnderLease(string schema, string set, bool notify) => $"""
        WITH changed AS (
            UPDATE {schema}.deliveries SET {set}
            WHERE id = $1 AND lease_id = $2 AND status = 0 AND leased_until > $3
            RETURNING id),
        recorded AS (
            INSERT INTO {schema}.delivery_attempts (delivery_id, tenant_id, target_id, attempt, started_at, duration, outcome, status_code, reason, response_body)
            SELECT changed.id, $10, a.target_id, a.attempt, a.started_at, a.duration, a.outcome, a.status_code, a.reason, a.response_body
            FROM changed CROSS JOIN unnest($11::text[], $12::integer[], $13::timestamptz[], $14::interval[], $15::smallint[], $16::integer[], $17::text[], $18::text[])
                WITH ORDINALITY AS a(target_id, attempt, started_at, duration, outcome, status_code, reason, response_body, ord)
            ORDER BY a.ord)
        {(notify ? "SELECT count(*) FROM (SELECT pg_notify($20, $21) FROM changed) notified" : "SELECT count(*) FROM changed")}
        """;

    private void AddInsertParameters(NpgsqlParameterCollection parameters, BackgroundDelivery delivery, DateTimeOffset dueAt, DateTimeOffset now)
    {
        parameters.Add(Value(delivery.Id));
        parameters.Add(Value(delivery.TenantId));
        parameters.Add(Value(delivery.Source));
        parameters.Add(Value(delivery.TargetIds.ToArray()));
        parameters.Add(Value(delivery.Payload.ToArray()));
        parameters.Add(Value(delivery.CreatedAt.ToUniversalTime()));
        parameters.Add(Nullable(delivery.ReplayedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        parameters.Add(Value(delivery.Replays));
        parameters.Add(Value(dueAt.ToUniversalTime()));
        parameters.Add(Value(delivery.NextTarget));
        parameters.Add(Value(delivery.Attempts));
        parameters.Add(Nullable(delivery.LastStatusCode, NpgsqlDbType.Integer));
        parameters.Add(Nullable(delivery.LastReason, NpgsqlDbType.Text));
        parameters.Add(Value(delivery.GivenUpTargetIds.ToArray()));
        parameters.Add(Value(now));
        parameters.Add(Value(_channel));
        parameters.Add(Value(DuePayload(dueAt)));
    }

    private static string DuePayload(DateTimeOffset dueAt) => dueAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static bool TryParseLease(DeliveryLease lease, out Guid leaseId) => Guid.TryParseExact(lease.LeaseId, "N", out leaseId);

    private static NpgsqlParameter Value(object value) => new() { Value = value };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static NpgsqlBatchCommand Command(string sql, params ReadOnlySpan<object> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            // A parameter belongs to one command: a filter shared by the page and its count is copied.
            command.Parameters.Add(value is NpgsqlParameter parameter ? parameter.Clone() : Value(value));
        }

        return command;
    }

    private static BackgroundDelivery ReadDelivery(NpgsqlDataReader reader, int first) => new()
    {
        Id = reader.GetString(first),
        TenantId = reader.GetString(first + 1),
        Source = reader.GetString(first + 2),
        TargetIds = [.. reader.GetFieldValue<string[]>(first + 3)],
        Payload = reader.GetFieldValue<byte[]>(first + 4),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(first + 5),
        NextTarget = reader.GetInt32(first + 6),
        Attempts = reader.GetInt32(first + 7),
        LastStatusCode = reader.IsDBNull(first + 8) ? null : reader.GetInt32(first + 8),
        LastReason = reader.IsDBNull(first + 9) ? null : reader.GetString(first + 9),
        GivenUpTargetIds = [.. reader.GetFieldValue<string[]>(first + 10)],
        Replays = reader.GetInt32(first + 11),
        ReplayedAt = reader.IsDBNull(first + 12) ? null : reader.GetFieldValue<DateTimeOffset>(first + 12),
    };

    private static DeliveryRecord ReadRecord(NpgsqlDataReader reader)
    {
        var status = (DeliveryStatus)reader.GetInt16(4);
        return new DeliveryRecord
        {
            Id = reader.GetString(0),
            TenantId = reader.GetString(1),
            Source = reader.GetString(2),
            TargetIds = [.. reader.GetFieldValue<string[]>(3)],
            Status = status,
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
            NextAttemptAt = status == DeliveryStatus.Pending ? reader.GetFieldValue<DateTimeOffset>(7) : null,
            GivenUpTargetIds = [.. reader.GetFieldValue<string[]>(8)],
            Replays = reader.GetInt32(9),
        };
    }

    private static DeliveryAttempt ReadAttempt(NpgsqlDataReader reader, DeliveryRecord record) => new()
    {
        DeliveryId = record.Id,
        TenantId = record.TenantId,
        Source = record.Source,
        TargetId = reader.GetString(0),
        Attempt = reader.GetInt32(1),
        StartedAt = reader.GetFieldValue<DateTimeOffset>(2),
        Duration = reader.GetFieldValue<TimeSpan>(3),
        Outcome = (DeliveryAttemptOutcome)reader.GetInt16(4),
        StatusCode = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        Reason = reader.IsDBNull(6) ? null : reader.GetString(6),
        ResponseBody = reader.IsDBNull(7) ? null : reader.GetString(7),
    };

    private static void CheckProgress(DeliveryLease lease, BackgroundDelivery progress, IReadOnlyList<DeliveryAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(attempts);
        if (!string.Equals(lease.Delivery.Id, progress.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The progress is of delivery '{progress.Id}', but the lease holds delivery '{lease.Delivery.Id}'; pass the leased delivery's progress.", nameof(progress));
        }
    }

    private static bool IsTransient(Exception e) => e is NpgsqlException { IsTransient: true } or TimeoutException or IOException;

    private void ThrowIfClosedForReplay(string what)
    {
        if (_closed)
        {
            throw new ActionExecException(
                ActionExecErrorCode.Unavailable,
                $"The delivery queue is closed because the host is shutting down, so {what} was not replayed; replay once the host has restarted.");
        }
    }

    private async ValueTask<bool> ChangeUnderLeaseAsync(
        string sql,
        string what,
        DeliveryLease lease,
        BackgroundDelivery progress,
        IReadOnlyList<DeliveryAttempt> attempts,
        DateTimeOffset? dueAt,
        CancellationToken cancellationToken)
    {
        CheckProgress(lease, progress, attempts);
        if (!TryParseLease(lease, out var leaseId))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var count = attempts.Count;
        var targets = new string[count];
        var numbers = new int[count];
        var starts = new DateTime[count];
        var durations = new TimeSpan[count];
        var outcomes = new short[count];
        var statuses = new int?[count];
        var reasons = new string?[count];
        var bodies = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var attempt = attempts[i];
            targets[i] = attempt.TargetId;
            numbers[i] = attempt.Attempt;
            starts[i] = attempt.StartedAt.UtcDateTime;
            durations[i] = attempt.Duration;
            outcomes[i] = (short)attempt.Outcome;
            statuses[i] = attempt.StatusCode;
            reasons[i] = attempt.Reason;
            bodies[i] = _recordBodies ? attempt.ResponseBody : null;
        }

        return await RunAsync(
            $"{what} delivery '{progress.Id}'",
            async (connection, ct) =>
            {
                var command = new NpgsqlCommand(sql, connection)
                {
                    Parameters =
                    {
                        Value(progress.Id), Value(leaseId), Value(now), Value(progress.TargetIds.ToArray()), Value(progress.NextTarget),
                        Value(progress.Attempts), Nullable(progress.LastStatusCode, NpgsqlDbType.Integer), Nullable(progress.LastReason, NpgsqlDbType.Text),
                        Value(progress.GivenUpTargetIds.ToArray()), Value(progress.TenantId),
                        Value(targets), Value(numbers), new NpgsqlParameter { Value = starts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                        Value(durations), Value(outcomes), Value(statuses), Value(reasons), Value(bodies),
                    },
                };
                if (dueAt is { } due)
                {
                    command.Parameters.Add(Value(due.ToUniversalTime()));
                    command.Parameters.Add(Value(_channel));
                    command.Parameters.Add(Value(DuePayload(due)));
                }

                await using (command.ConfigureAwait(false))
                {
                    return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 1;
                }
            },
            null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one database call: on <paramref name="connection"/> when given (the host's, in its transaction), else on a pooled one
    /// after the schema is ready. A dropped or unreachable database is an <see cref="ActionExecErrorCode.Unavailable"/> error the
    /// worker retries after a pause; the pool's idle connections are dropped then, since after a server restart they are all dead.
    /// </summary>
    private async ValueTask<T> RunAsync<T>(string what, Func<NpgsqlConnection, CancellationToken, Task<T>> call, NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await _store.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            if (connection is not null)
            {
                return await call(connection, cancellationToken).ConfigureAwait(false);
            }

            var own = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (own.ConfigureAwait(false))
            {
                return await call(own, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            if (connection is null)
            {
                _dataSource.Clear();
            }

            LogDatabaseFailed(what, e);
            throw new ActionExecException(ActionExecErrorCode.Unavailable, $"{what} failed: the database could not be reached ({e.Message}). Retry when it is reachable.", [], e);
        }
    }

    private async ValueTask PurgeIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now.UtcTicks < Interlocked.Read(ref _nextPurgeTicks) || Interlocked.Exchange(ref _purging, 1) == 1)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref _nextPurgeTicks, (now + PurgeInterval).UtcTicks);
            var purged = await PurgeAsync(cancellationToken).ConfigureAwait(false);
            if (purged > 0)
            {
                LogPurged(purged);
            }
        }
        catch (ActionExecException)
        {
            // Logged where it failed; the next purge tries again and leasing goes on.
        }
        finally
        {
            Volatile.Write(ref _purging, 0);
        }
    }

    /// <summary>
    /// Reads when the next pending delivery is due (a lease's end included), for a wait that knows nothing yet. When the database
    /// cannot be reached the wait is bounded by the poll interval alone.
    /// </summary>
    private async ValueTask<long> LearnNextDueAsync(CancellationToken cancellationToken)
    {
        var signals = Interlocked.Read(ref _signals);
        DateTimeOffset? next;
        try
        {
            next = await ReadNextDueAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ActionExecException)
        {
            return long.MaxValue;
        }

        lock (_gate)
        {
            var ticks = next?.UtcTicks ?? long.MaxValue;
            if (Interlocked.Read(ref _signals) != signals)
            {
                ticks = Math.Min(ticks, _earliestDueTicks);
            }

            _earliestDueTicks = ticks;
            return ticks;
        }
    }

    private ValueTask<DateTimeOffset?> ReadNextDueAsync(CancellationToken cancellationToken) => RunAsync(
        "Reading when the next delivery is due",
        async (connection, ct) =>
        {
            var command = new NpgsqlCommand(_nextDue, connection);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is DateTime due ? new DateTimeOffset(due.Ticks, TimeSpan.Zero) : (DateTimeOffset?)null;
            }
        },
        null,
        cancellationToken);

    /// <summary>
    /// After the listener (re)connected, notifications sent while it was down are lost: reads the next due time again and wakes
    /// the waiting workers only when it is earlier than what they wait for.
    /// </summary>
    private async Task RelearnNextDueAsync()
    {
        try
        {
            if (await ReadNextDueAsync(CancellationToken.None).ConfigureAwait(false) is { } due)
            {
                KnownIfEarlier(due);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The database is still away, or the host is stopping: the waits are bounded by the poll interval anyway.
            LogRelearnFailed(e);
        }
    }

    /// <summary>Starts listening for other instances' deliveries, once.</summary>
    private void Subscribe()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            _store.Feed.ListenForDeliveries(OnNotified);
        }
    }

    /// <summary>A notification of the channel (the due time it announces), or <see langword="null"/> after the listener (re)connected and may have missed some.</summary>
    private void OnNotified(string? payload)
    {
        if (payload is not null && long.TryParse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds))
        {
            Known(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
            return;
        }

        _ = RelearnNextDueAsync();
    }

    /// <summary>Records that a delivery is due at <paramref name="dueAt"/> and wakes the waiting workers to look again.</summary>
    private void Known(DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            _earliestDueTicks = Math.Min(_earliestDueTicks, dueAt.UtcTicks);
        }

        Signal();
    }

    private void KnownIfEarlier(DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            if (dueAt.UtcTicks >= _earliestDueTicks)
            {
                return;
            }

            _earliestDueTicks = dueAt.UtcTicks;
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            Interlocked.Increment(ref _signals);
            signal = _signal;
            _signal = NewSignal();
        }

        signal.TrySetResult();
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "{What} failed because the database could not be reached; the caller retries.")]
    private partial void LogDatabaseFailed(string what, Exception exception);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Debug, Message = "Reading the next due delivery after the listener reconnected failed; waiting workers look again within the poll interval.")]
    private partial void LogRelearnFailed(Exception exception);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Information, Message = "Purged {Count} finished deliveries past the history's retention.")]
    private partial void LogPurged(int count);

    /// <summary>Ends an enlistment: what the flow queues after it goes to the queue's own connections again.</summary>
    internal readonly struct Scope(PostgreSqlDeliveryQueue queue, NpgsqlTransaction? previous) : IDisposable
    {
        public void Dispose() => queue._enlisted.Value = previous;
    }
}
