namespace ActionExec.AspNetCore.Wire;

/// <summary>A page of the delivery history: <c>{"details": {"totalResult": "2", "appliedLimit": "100"}, "result": [ … ]}</c>, newest first.</summary>
internal sealed record DeliveryListJson
{
    /// <summary>How many deliveries match the filters in all, and the page size applied.</summary>
    public ListDetailsJson? Details { get; init; }

    /// <summary>The deliveries on the page, without their attempts.</summary>
    public IReadOnlyList<DeliveryJson>? Result { get; init; }
}
