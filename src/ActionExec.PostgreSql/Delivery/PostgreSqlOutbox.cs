using ActionExec.Delivery;
using ActionExec.Dispatch;
using Npgsql;

namespace ActionExec.PostgreSql.Delivery;

/// <summary>
/// Publishes through the dispatcher while the PostgreSQL queue is enlisted in the host's transaction for this async flow: the
/// dispatcher's one path to the queue stays the only one, and the queue writes to the host's connection instead of its own.
/// </summary>
internal sealed class PostgreSqlOutbox(IActionDispatcher dispatcher, IDeliveryQueue queue) : IPostgreSqlOutbox
{
    public async ValueTask PublishEventAsync(NpgsqlTransaction transaction, FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actionEvent);
        if (!IsOpen(transaction))
        {
            throw new ArgumentException("The transaction is already committed or rolled back; publish the event inside the open transaction of the write it belongs to.", nameof(transaction));
        }

        // Checked before anything is published: a delivery queued anywhere else would not follow the host's transaction.
        if (queue is not PostgreSqlDeliveryQueue durable)
        {
            throw new InvalidOperationException(
                $"The transactional outbox needs the PostgreSQL delivery queue, but the registered IDeliveryQueue is {queue.GetType().Name}, which cannot join the host's transaction; nothing was published. Leave PostgreSqlStoreOptions.DurableDelivery on (the default) in AddPostgreSql, and do not replace IDeliveryQueue after it, or publish with IActionDispatcher.PublishEventAsync after the commit.");
        }

        using (durable.Enlist(transaction))
        {
            await dispatcher.PublishEventAsync(context, actionEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsOpen(NpgsqlTransaction transaction)
    {
        try
        {
            // Npgsql tells a completed transaction only where it is used: a command refuses it, without a round trip.
            using var probe = new NpgsqlCommand { Transaction = transaction };
            return transaction.Connection is { State: System.Data.ConnectionState.Open };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
