namespace ActionExec.Delivery;

/// <summary>
/// The options of background delivery. Validated when the host starts; every problem is listed at once. Bound from
/// <c>Delivery</c> by <c>AddActionExecutions(IConfiguration)</c>: durations as <c>"00:00:05"</c>, the retry schedule as an array
/// (<c>Delivery:RetrySchedule:0</c>, <c>:1</c>…) that replaces the default schedule.
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>
    /// The default retry schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (at most 8 attempts per target).
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// The delay before attempt 1, 2, … of a target; its length is the most attempts a target gets. The first entry is the
    /// delay between queuing a delivery and its first attempt; each later one is the wait after a failed attempt (or longer,
    /// when the target's <c>Retry-After</c> asks for more). Default <see cref="DefaultRetrySchedule"/>. At least one entry,
    /// none negative.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; set; } = DefaultRetrySchedule;

    /// <summary>
    /// How old a delivery may get: one that is older, or whose next attempt would fall later, is given up. Default 24 hours;
    /// greater than zero.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How many deliveries the in-memory queue holds at most, counting each from the moment it is queued until it is delivered
    /// or given up (retries keep their place). Default 10,000; at least 1.
    /// </summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>
    /// How long queuing a delivery waits for a place when the queue is full before it fails with
    /// <see cref="Errors.ActionExecErrorCode.Unavailable"/>. Default 5 seconds; zero fails at once; not negative.
    /// </summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long shutdown keeps delivering what is in flight and due before it reports the rest as dead letters. Default 30
    /// seconds; not negative. Keep it below the host's shutdown timeout.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many deliveries are worked on at the same time. Default 2; from 1 to 256.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// How long a worker holds a delivery it leased before another worker (on this or another instance) may take it: the
    /// worker extends the lease every third of this while the delivery runs, so only a worker that died or hangs loses it.
    /// Keep it well above the longest target timeout's third. Default 30 seconds; greater than zero.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many due deliveries a worker loop leases at a time. Default 0: as many as <see cref="Workers"/>; from 0 to 1000.
    /// A larger batch is leased ahead of the workers: the loop then holds up to this many, works on <see cref="Workers"/> of
    /// them and keeps the leases of the rest while they wait, which spares a durable queue round trips (16 or more for
    /// throughput). Deliveries held that way wait behind slow targets instead of going to another instance, so it is not the default.
    /// </summary>
    public int LeaseBatchSize { get; set; }

    /// <summary>
    /// How long a finished delivery (delivered or dead-lettered) and its attempts stay in the history, and so can be replayed.
    /// Default 7 days; greater than zero.
    /// </summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How many finished deliveries the in-memory queue keeps in its history at most; the oldest finished is dropped first.
    /// Default 10,000; at least 1.
    /// </summary>
    public int HistoryCapacity { get; set; } = 10_000;

    /// <summary>
    /// Whether the history keeps the payload of each delivery and the response body of each attempt (cut to its first 4 KiB).
    /// Default <see langword="false"/>: payloads may hold personal data, so turn it on only where the history is protected.
    /// </summary>
    public bool RecordBodies { get; set; }

    /// <summary>The number of deliveries a worker loop leases at a time: <see cref="LeaseBatchSize"/>, or <see cref="Workers"/> when it is 0.</summary>
    internal int EffectiveLeaseBatchSize => LeaseBatchSize > 0 ? LeaseBatchSize : Workers;

    /// <summary>
    /// Whether deliveries are made by the flow that queues them, before it returns, instead of by the worker's loops: set by
    /// <c>UseInlineDelivery()</c>. Not bound from configuration: it is for tests, never a production setting.
    /// </summary>
    internal bool Inline { get; set; }
}
