namespace ActionExec.AspNetCore.Receiving;

/// <summary>Endpoint metadata: the endpoint verifies action deliveries with the receiver of this name.</summary>
internal sealed record ActionReceiverMetadata(string ReceiverName);
