using System.Collections.Immutable;
using System.Text.Json.Serialization;
using ActionExec.Executions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// An execution in ZITADEL's GA shape: <c>{"condition", "creationDate", "changeDate", "targets": ["&lt;id&gt;", …]}</c>, where
/// <c>targets</c> are the targets it calls, in order (includes resolved).
/// </summary>
internal sealed record V2ExecutionJson
{
    /// <summary>When the execution runs.</summary>
    public ConditionJson? Condition { get; init; }

    /// <summary>When the execution was first set.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When the execution was last changed.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ChangeDate { get; init; }

    /// <summary>The ids of the targets called, in order.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    internal static V2ExecutionJson FromModel(Execution execution, ImmutableArray<string> targetIds) => new()
    {
        Condition = ConditionJson.FromModel(execution.Condition),
        CreationDate = execution.CreationDate,
        ChangeDate = execution.Details.ChangeDate,
        Targets = targetIds,
    };
}
