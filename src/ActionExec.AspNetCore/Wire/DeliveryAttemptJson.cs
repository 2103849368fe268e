using System.Text.Json.Serialization;
using ActionExec.Delivery;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// One attempt of a delivery: <c>{"targetId", "attempt", "startDate", "duration", "outcome", "statusCode", "reason",
/// "responseBody"}</c>, the duration as a proto-JSON duration (<c>"0.125s"</c>). Never a key; a body only when the host records
/// bodies.
/// </summary>
internal sealed record DeliveryAttemptJson
{
    /// <summary>The target called.</summary>
    public string? TargetId { get; init; }

    /// <summary>The attempt's number for this target, from 1.</summary>
    public int Attempt { get; init; }

    /// <summary>When it started.</summary>
    [JsonConverter(typeof(ProtoTimestampJsonConverter))]
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>How long it took.</summary>
    [JsonConverter(typeof(ProtoDurationJsonConverter))]
    public TimeSpan? Duration { get; init; }

    /// <summary>How it ended: <c>"DELIVERY_ATTEMPT_OUTCOME_SUCCEEDED"</c>, <c>"…_RETRYING"</c> or <c>"…_GAVE_UP"</c>.</summary>
    public string? Outcome { get; init; }

    /// <summary>The HTTP status the target answered, if it answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why it failed; absent when it succeeded.</summary>
    public string? Reason { get; init; }

    /// <summary>The target's answer, only when the host records bodies.</summary>
    public string? ResponseBody { get; init; }

    internal static DeliveryAttemptJson FromModel(DeliveryAttempt attempt) => new()
    {
        TargetId = attempt.TargetId,
        Attempt = attempt.Attempt,
        StartDate = attempt.StartedAt,
        Duration = attempt.Duration,
        Outcome = OutcomeName(attempt.Outcome),
        StatusCode = attempt.StatusCode,
        Reason = attempt.Reason,
        ResponseBody = attempt.ResponseBody,
    };

    private static string OutcomeName(DeliveryAttemptOutcome outcome) => outcome switch
    {
        DeliveryAttemptOutcome.Succeeded => "DELIVERY_ATTEMPT_OUTCOME_SUCCEEDED",
        DeliveryAttemptOutcome.Retrying => "DELIVERY_ATTEMPT_OUTCOME_RETRYING",
        DeliveryAttemptOutcome.GaveUp => "DELIVERY_ATTEMPT_OUTCOME_GAVE_UP",
        _ => "DELIVERY_ATTEMPT_OUTCOME_UNSPECIFIED",
    };
}
