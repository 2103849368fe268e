namespace ActionExec.AspNetCore.Wire;

/// <summary>One delivery with its attempts, in the wrapper of a get: <c>{"delivery": {"id", "status", …, "attempts": [ … ]}}</c>.</summary>
internal sealed record DeliveryResponseJson
{
    /// <summary>The delivery.</summary>
    public DeliveryJson? Delivery { get; init; }
}
