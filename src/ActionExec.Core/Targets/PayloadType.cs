namespace ActionExec.Targets;

/// <summary>How the payload sent to a target is encoded.</summary>
public enum PayloadType
{
    /// <summary>Plain JSON (<c>application/json; charset=utf-8</c>).</summary>
    Json,
}
