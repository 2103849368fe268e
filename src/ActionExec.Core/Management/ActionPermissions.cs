namespace ActionExec.Management;

/// <summary>The permissions the management service checks, named as ZITADEL names them.</summary>
public static class ActionPermissions
{
    /// <summary>Set executions.</summary>
    public const string ExecutionWrite = "action.execution.write";

    /// <summary>Read executions and explain matches.</summary>
    public const string ExecutionRead = "action.execution.read";

    /// <summary>Create, update, rotate and delete targets.</summary>
    public const string TargetWrite = "action.target.write";

    /// <summary>Read targets.</summary>
    public const string TargetRead = "action.target.read";
}
