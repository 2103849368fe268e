namespace ActionExec.Delivery;

/// <summary>How one attempt to call a target of a delivery ended.</summary>
public enum DeliveryAttemptOutcome
{
    /// <summary>The target accepted the delivery.</summary>
    Succeeded = 0,

    /// <summary>The attempt failed and another is scheduled.</summary>
    Retrying = 1,

    /// <summary>The attempt failed and the target was given up (a final failure, no attempts left, or too old).</summary>
    GaveUp = 2,
}
