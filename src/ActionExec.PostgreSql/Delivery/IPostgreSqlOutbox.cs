using ActionExec.Dispatch;
using Npgsql;

namespace ActionExec.PostgreSql.Delivery;

/// <summary>
/// The transactional outbox: publishes a domain event inside the host's own PostgreSQL transaction, so that the event's delivery
/// is queued if and only if the host's write commits. A rolled-back transaction leaves no delivery; a committed one leaves exactly
/// one, which the workers of every instance pick up as soon as it commits.
/// </summary>
/// <remarks>
/// Registered by <c>AddPostgreSql</c>; it needs the durable delivery queue (<see cref="PostgreSqlStoreOptions.DurableDelivery"/>, on
/// by default) and a transaction on the database that holds the ActionExec schema. Host code that calls it can be unit-tested
/// with a substitute of this interface.
/// </remarks>
public interface IPostgreSqlOutbox
{
    /// <summary>
    /// Publishes a domain event as <see cref="IActionDispatcher.PublishEventAsync"/> does, but writes its delivery with
    /// <paramref name="transaction"/>, on its connection: the delivery exists once the host commits, and never if it rolls back.
    /// Nothing else may use the connection until this returns.
    /// </summary>
    /// <param name="transaction">The host's open transaction, on the database of the ActionExec schema.</param>
    /// <param name="context">The tenant (sent as <c>instanceID</c>).</param>
    /// <param name="actionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the delivery is written in the transaction (or no execution applies).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transaction"/>, <paramref name="context"/> or <paramref name="actionEvent"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="transaction"/> is already committed or rolled back; or the event type is empty or not a dotted name.</exception>
    /// <exception cref="InvalidOperationException">The registered delivery queue is not the PostgreSQL one (<see cref="PostgreSqlStoreOptions.DurableDelivery"/> is off, or another queue replaced it): nothing is published.</exception>
    /// <exception cref="Errors.ActionExecException"><see cref="Errors.ActionExecErrorCode.Unavailable"/> when the database cannot be reached.</exception>
    ValueTask PublishEventAsync(NpgsqlTransaction transaction, FlowContext context, ActionEvent actionEvent, CancellationToken cancellationToken = default);
}
