namespace ActionExec.AspNetCore.Wire;

/// <summary>A list of targets: <c>{"details": {"totalResult": "2", "appliedLimit": "100"}, "result": [ … ]}</c>.</summary>
internal sealed record TargetListJson
{
    /// <summary>How many targets match and the limit applied.</summary>
    public ListDetailsJson? Details { get; init; }

    /// <summary>The targets, without their signing keys.</summary>
    public IReadOnlyList<TargetJson>? Result { get; init; }
}
