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

    /// <summary>Read the delivery history: list deliveries and get one with its attempts.</summary>
    public const string DeliveryRead = "action.delivery.read";

    /// <summary>Replay deliveries: one, or every dead letter since a time.</summary>
    public const string DeliveryWrite = "action.delivery.write";
}
