namespace ActionExec.Dispatch;

/// <summary>A domain event the host wrote, as targets receive it (ZITADEL's event payload names).</summary>
public sealed record ActionEvent
{
    /// <summary>The event type, such as <c>user.human.added</c>; matched against event conditions.</summary>
    public required string EventType { get; init; }

    /// <summary>The aggregate's id (<c>aggregateID</c>).</summary>
    public required string AggregateId { get; init; }

    /// <summary>The aggregate's type (<c>aggregateType</c>), such as <c>user</c>.</summary>
    public required string AggregateType { get; init; }

    /// <summary>The owner of the aggregate (<c>resourceOwner</c>), such as the organisation id.</summary>
    public string? ResourceOwner { get; init; }

    /// <summary>The aggregate's version (<c>version</c>), such as <c>v2</c>.</summary>
    public string? Version { get; init; }

    /// <summary>The event's sequence in its aggregate (<c>sequence</c>).</summary>
    public ulong Sequence { get; init; }

    /// <summary>When the event was written (<c>created_at</c>).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who caused the event (<c>userID</c>).</summary>
    public string? UserId { get; init; }

    /// <summary>The event's own data as UTF-8 JSON (<c>event_payload</c>); omitted when empty.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
}
