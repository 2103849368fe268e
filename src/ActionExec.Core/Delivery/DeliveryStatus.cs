namespace ActionExec.Delivery;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its first attempt or a retry, or being worked on.</summary>
    Pending = 0,

    /// <summary>Finished: every target it had was reached (targets deleted meanwhile are skipped).</summary>
    Delivered = 1,

    /// <summary>Finished with at least one target given up; kept for the retention time and can be replayed.</summary>
    DeadLettered = 2,
}
