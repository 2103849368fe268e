namespace ActionExec.Conditions;

/// <summary>How much of a <see cref="ConditionKind"/> a condition covers.</summary>
public enum ConditionScope
{
    /// <summary>Every method (request and response) or every event.</summary>
    All,

    /// <summary>Every method of one gRPC service, such as <c>pkg.v1.Service</c>.</summary>
    Service,

    /// <summary>One gRPC full method, such as <c>/pkg.v1.Service/Method</c>.</summary>
    Method,

    /// <summary>One function, by name.</summary>
    Function,

    /// <summary>One event type, such as <c>user.human.added</c>.</summary>
    Event,

    /// <summary>Every event type below a dotted group, such as <c>user.human</c> (written <c>user.human.*</c>).</summary>
    Group,
}
