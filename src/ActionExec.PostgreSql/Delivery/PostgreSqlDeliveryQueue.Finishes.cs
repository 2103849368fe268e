using ActionExec.Delivery;
using Npgsql;
using NpgsqlTypes;

namespace ActionExec.PostgreSql.Delivery;

/// <summary>
/// Group commit of the calls that end a lease (complete, dead-letter, reschedule): calls that arrive while a flush is under way
/// wait for the next one, and each flush is one statement for all of them, which still changes only the rows whose lease holds
/// and records the attempts of exactly those. Every caller learns its own lease's answer.
/// </summary>
internal sealed partial class PostgreSqlDeliveryQueue
{
    private readonly Lock _finishGate = new();
    private List<PendingFinish> _finishes = [];
    private bool _flushing;
    private long _flushCount;

    /// <summary>How many finish statements this queue has sent: fewer than finishes when concurrent ones were coalesced.</summary>
    internal long FlushCount => Interlocked.Read(ref _flushCount);

    private static string FinishSql(string schema) => $"""
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::uuid[], $3::smallint[], $4::timestamptz[], $5::integer[], $6::integer[], $7::integer[],
                                 $8::integer[], $9::integer[], $10::text[], $11::integer[], $12::integer[], $13::text[], $14::text[])
                WITH ORDINALITY AS i(id, lease_id, status, due_at, targets_from, targets_to, next_target, attempts, last_status, last_reason,
                                     given_up_from, given_up_to, tenant_id, notice, item)),
        changed AS (
            UPDATE {schema}.deliveries d
            SET target_ids = ($15::text[])[i.targets_from:i.targets_to], next_target = i.next_target, attempts = i.attempts,
                last_status = i.last_status, last_reason = i.last_reason, given_up_target_ids = ($16::text[])[i.given_up_from:i.given_up_to],
                updated_at = $17, status = i.status, due_at = CASE WHEN i.status = 0 THEN i.due_at ELSE d.due_at END,
                lease_id = NULL, leased_until = NULL
            FROM input i
            WHERE d.id = i.id AND d.lease_id = i.lease_id AND d.status = 0 AND d.leased_until > $17
            RETURNING i.item, d.id, i.tenant_id, i.notice),
        recorded AS (
            INSERT INTO {schema}.delivery_attempts (delivery_id, tenant_id, target_id, attempt, started_at, duration, outcome, status_code, reason, response_body)
            SELECT changed.id, changed.tenant_id, a.target_id, a.attempt, a.started_at, a.duration, a.outcome, a.status_code, a.reason, a.response_body
            FROM changed JOIN unnest($18::integer[], $19::text[], $20::integer[], $21::timestamptz[], $22::interval[], $23::smallint[], $24::integer[], $25::text[], $26::text[])
                WITH ORDINALITY AS a(item, target_id, attempt, started_at, duration, outcome, status_code, reason, response_body, ord)
                ON a.item = changed.item
            ORDER BY a.ord),
        notified AS (
            SELECT pg_notify($27, changed.notice) FROM changed WHERE changed.notice IS NOT NULL)
        SELECT changed.item, (SELECT count(*) FROM notified) FROM changed
        """;

    private async ValueTask<bool> FinishAsync(DeliveryLease lease, BackgroundDelivery progress, DeliveryStatus status, DateTimeOffset? dueAt, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        CheckProgress(lease, progress, attempts);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryParseLease(lease, out var leaseId))
        {
            return false;
        }

        var pending = new PendingFinish(leaseId, progress, status, dueAt?.ToUniversalTime(), [.. attempts]);
        bool flush;
        lock (_finishGate)
        {
            _finishes.Add(pending);
            flush = !_flushing;
            _flushing = true;
        }

        if (flush)
        {
            _ = Task.Run(FlushFinishesAsync, CancellationToken.None);
        }

        return await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is waiting, one statement per flush, until nothing is; one flush runs at a time.</summary>
    private async Task FlushFinishesAsync()
    {
        while (true)
        {
            List<PendingFinish> batch;
            lock (_finishGate)
            {
                if (_finishes.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                batch = _finishes;
                _finishes = [];
            }

            try
            {
                var changed = await WriteFinishesAsync(batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Answer.TrySetResult(changed[i]);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                foreach (var pending in batch)
                {
                    pending.Answer.TrySetException(e);
                }
            }
        }
    }

    private ValueTask<bool[]> WriteFinishesAsync(List<PendingFinish> batch)
    {
        var now = _time.GetUtcNow();
        var count = batch.Count;
        var ids = new string[count];
        var leaseIds = new Guid[count];
        var statuses = new short[count];
        var dues = new DateTime?[count];
        var targetsFrom = new int[count];
        var targetsTo = new int[count];
        var nextTargets = new int[count];
        var attemptCounts = new int[count];
        var lastStatuses = new int?[count];
        var lastReasons = new string?[count];
        var givenUpFrom = new int[count];
        var givenUpTo = new int[count];
        var tenants = new string[count];
        var notices = new string?[count];
        var targets = new List<string>();
        var givenUp = new List<string>();
        var items = new List<int>();
        var attemptTargets = new List<string>();
        var numbers = new List<int>();
        var starts = new List<DateTime>();
        var durations = new List<TimeSpan>();
        var outcomes = new List<short>();
        var codes = new List<int?>();
        var reasons = new List<string?>();
        var bodies = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            var (leaseId, progress, status, dueAt, attempts) = batch[i];
            ids[i] = progress.Id;
            leaseIds[i] = leaseId;
            statuses[i] = (short)status;
            dues[i] = dueAt?.UtcDateTime;
            notices[i] = dueAt is { } due ? DuePayload(due) : null;
            targetsFrom[i] = targets.Count + 1;
            targets.AddRange(progress.TargetIds);
            targetsTo[i] = targets.Count;
            givenUpFrom[i] = givenUp.Count + 1;
            givenUp.AddRange(progress.GivenUpTargetIds);
            givenUpTo[i] = givenUp.Count;
            nextTargets[i] = progress.NextTarget;
            attemptCounts[i] = progress.Attempts;
            lastStatuses[i] = progress.LastStatusCode;
            lastReasons[i] = progress.LastReason;
            tenants[i] = progress.TenantId;
            foreach (var attempt in attempts)
            {
                items.Add(i + 1);
                attemptTargets.Add(attempt.TargetId);
                numbers.Add(attempt.Attempt);
                starts.Add(attempt.StartedAt.UtcDateTime);
                durations.Add(attempt.Duration);
                outcomes.Add((short)attempt.Outcome);
                codes.Add(attempt.StatusCode);
                reasons.Add(attempt.Reason);
                bodies.Add(_recordBodies ? attempt.ResponseBody : null);
            }
        }

        return RunAsync(
            count == 1 ? $"Recording the end of the lease on delivery '{ids[0]}'" : $"Recording the end of the leases on {count} deliveries",
            async (connection, ct) =>
            {
                var command = new NpgsqlCommand(_finish, connection)
                {
                    Parameters =
                    {
                        Value(ids), Value(leaseIds), Value(statuses), TimestampArray(dues), Value(targetsFrom), Value(targetsTo), Value(nextTargets),
                        Value(attemptCounts), Value(lastStatuses), TextArray(lastReasons), Value(givenUpFrom), Value(givenUpTo), Value(tenants), TextArray(notices),
                        TextArray(targets.ToArray()), TextArray(givenUp.ToArray()), Value(now),
                        Value(items.ToArray()), TextArray(attemptTargets.ToArray()), Value(numbers.ToArray()), TimestampArray(starts.ConvertAll(static s => (DateTime?)s).ToArray()),
                        Value(durations.ToArray()), Value(outcomes.ToArray()), Value(codes.ToArray()), TextArray(reasons.ToArray()), TextArray(bodies.ToArray()),
                        Value(_channel),
                    },
                };
                Interlocked.Increment(ref _flushCount);
                var changed = new bool[count];
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            changed[reader.GetInt64(0) - 1] = true;
                        }
                    }
                }

                return changed;
            },
            null,
            CancellationToken.None);
    }

    private static NpgsqlParameter TimestampArray(DateTime?[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter TextArray(string?[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    /// <summary>A call that ends a lease, waiting for its flush; <see cref="Answer"/> says whether its lease still held.</summary>
    private sealed record PendingFinish(Guid LeaseId, BackgroundDelivery Progress, DeliveryStatus Status, DateTimeOffset? DueAt, DeliveryAttempt[] Attempts)
    {
        public TaskCompletionSource<bool> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
