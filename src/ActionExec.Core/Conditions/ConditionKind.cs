namespace ActionExec.Conditions;

/// <summary>The point in the host at which a condition applies.</summary>
public enum ConditionKind
{
    /// <summary>A request arrives at an API method (canonical id prefix <c>request</c>).</summary>
    Request,

    /// <summary>A response leaves an API method (canonical id prefix <c>response</c>).</summary>
    Response,

    /// <summary>The host runs a named function, such as <c>preuserinfo</c> (canonical id prefix <c>function</c>).</summary>
    Function,

    /// <summary>The host writes a domain event (canonical id prefix <c>event</c>).</summary>
    Event,
}
