using ActionExec.Delivery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ActionExec.Tests.Delivery;

/// <summary>The delivery queue contract, met by the in-memory queue.</summary>
public sealed class InMemoryDeliveryQueueContractTests : DeliveryQueueContract
{
    protected override Task<IDeliveryQueue> CreateQueueAsync(FakeTimeProvider time, DeliveryOptions options) =>
        Task.FromResult<IDeliveryQueue>(new InMemoryDeliveryQueue(Options.Create(options), time));
}
