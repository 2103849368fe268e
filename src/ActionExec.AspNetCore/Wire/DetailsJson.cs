using System.Text.Json.Serialization;
using ActionExec.Executions;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The details of a stored change in the wire format:
/// <c>{"sequence": "2", "changeDate": "2024-06-25T13:35:39.391Z", "resourceOwner": "69629023906488334"}</c>.
/// </summary>
internal sealed record DetailsJson
{
    /// <summary>The tenant's sequence after the change; a uint64 written as a JSON string (a JSON number is accepted on read).</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Sequence { get; init; }

    /// <summary>When the change was committed.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset ChangeDate { get; init; }

    /// <summary>The tenant that owns the resource.</summary>
    public string? ResourceOwner { get; init; }

    internal static DetailsJson FromModel(ExecutionDetails details) => new()
    {
        Sequence = details.Sequence,
        ChangeDate = details.ChangeDate,
        ResourceOwner = details.ResourceOwner,
    };

    internal ExecutionDetails ToModel() => new(Sequence, ChangeDate, ResourceOwner ?? "");
}
