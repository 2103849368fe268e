using ActionExec.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.PostgreSql.DependencyInjection;

/// <summary>
/// The delivery queue registered before <c>AddPostgreSql</c> replaced it (ActionExec.Core's in-memory queue), created as its
/// registration says when <see cref="PostgreSqlStoreOptions.DurableDelivery"/> is off.
/// </summary>
internal sealed class EmbeddedDeliveryQueue(ServiceDescriptor registration)
{
    public IDeliveryQueue Create(IServiceProvider services) => (IDeliveryQueue)(
        registration.ImplementationInstance
        ?? registration.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, registration.ImplementationType!));
}
