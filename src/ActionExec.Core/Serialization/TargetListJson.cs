namespace ActionExec.Serialization;

/// <summary>A list of targets: <c>{"details": {"totalResult": "2", "appliedLimit": "100"}, "result": [ … ]}</c>.</summary>
public sealed record TargetListJson
{
    /// <summary>How many targets match and the limit applied.</summary>
    public ListDetailsJson? Details { get; init; }

    /// <summary>The targets, without their signing keys.</summary>
    public IReadOnlyList<TargetJson>? Result { get; init; }
}
