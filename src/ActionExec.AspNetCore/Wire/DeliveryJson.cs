using System.Text.Json.Serialization;
using ActionExec.Delivery;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// A delivery of the history: <c>{"id", "source", "targetIds", "status", "creationDate", "changeDate", "nextAttemptDate",
/// "givenUpTargetIds", "replays", "attempts", "payload"}</c>. The list leaves <c>attempts</c> out; <c>payload</c> (and each
/// attempt's <c>responseBody</c>) is there only when the host records bodies.
/// </summary>
internal sealed record DeliveryJson
{
    /// <summary>The delivery id, sent as <c>webhook-id</c>.</summary>
    public string? Id { get; init; }

    /// <summary>What caused it: an event type or a condition id.</summary>
    public string? Source { get; init; }

    /// <summary>Its targets, in order.</summary>
    public IReadOnlyList<string>? TargetIds { get; init; }

    /// <summary>Where it stands: <c>"DELIVERY_STATUS_PENDING"</c>, <c>"DELIVERY_STATUS_DELIVERED"</c> or <c>"DELIVERY_STATUS_DEAD_LETTERED"</c>.</summary>
    public string? Status { get; init; }

    /// <summary>When it was created.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When it last changed.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? ChangeDate { get; init; }

    /// <summary>When its next attempt is due, while it is pending.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? NextAttemptDate { get; init; }

    /// <summary>The targets given up or abandoned, when it is a dead letter; absent otherwise.</summary>
    public IReadOnlyList<string>? GivenUpTargetIds { get; init; }

    /// <summary>How many times it was replayed.</summary>
    public int Replays { get; init; }

    /// <summary>Its attempts, oldest first: only when one delivery is fetched or replayed.</summary>
    public IReadOnlyList<DeliveryAttemptJson>? Attempts { get; init; }

    /// <summary>The payload, only when the host records bodies.</summary>
    public string? Payload { get; init; }

    /// <summary>The wire name of a status.</summary>
    internal static string StatusName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "DELIVERY_STATUS_PENDING",
        DeliveryStatus.Delivered => "DELIVERY_STATUS_DELIVERED",
        DeliveryStatus.DeadLettered => "DELIVERY_STATUS_DEAD_LETTERED",
        _ => "DELIVERY_STATUS_UNSPECIFIED",
    };

    /// <summary>Reads a status as the list's <c>status</c> query parameter takes it: <c>pending</c>, <c>delivered</c>, <c>dead_lettered</c>, or the wire name.</summary>
    internal static bool TryParseStatus(string text, out DeliveryStatus status)
    {
        (var known, status) = text switch
        {
            "pending" or "DELIVERY_STATUS_PENDING" => (true, DeliveryStatus.Pending),
            "delivered" or "DELIVERY_STATUS_DELIVERED" => (true, DeliveryStatus.Delivered),
            "dead_lettered" or "DELIVERY_STATUS_DEAD_LETTERED" => (true, DeliveryStatus.DeadLettered),
            _ => (false, DeliveryStatus.Pending),
        };
        return known;
    }

    /// <summary>A delivery as the wire shows it; <paramref name="withAttempts"/> adds its attempts (an empty list when it has none).</summary>
    internal static DeliveryJson FromModel(DeliveryRecord record, bool withAttempts) => new()
    {
        Id = record.Id,
        Source = record.Source,
        TargetIds = [.. record.TargetIds],
        Status = StatusName(record.Status),
        CreationDate = record.CreatedAt,
        ChangeDate = record.UpdatedAt,
        NextAttemptDate = record.Status == DeliveryStatus.Pending ? record.NextAttemptAt : null,
        GivenUpTargetIds = record.GivenUpTargetIds.IsDefaultOrEmpty ? null : [.. record.GivenUpTargetIds],
        Replays = record.Replays,
        Attempts = withAttempts ? [.. (record.Attempts.IsDefault ? [] : record.Attempts).Select(DeliveryAttemptJson.FromModel)] : null,
        Payload = record.Payload,
    };
}
