namespace ActionExec.Grpc.Tests.Management;

/// <summary>A management call, whatever carries it: each driver sends it its own way.</summary>
public enum ManagementOperation
{
    SetExecutionV2Beta,
    SetExecutionV3Alpha,
    CreateTarget,
    UpdateTarget,
    DeleteTarget,
    GetTarget,
    ListTargets,
    ListExecutions,
    SetExecutionV2,
    CreateTargetV2,
    UpdateTargetV2,
    DeleteTargetV2,
    GetTargetV2,
    ListTargetsV2,
    ListExecutionsV2,
    AddPublicKeyV2,
    ActivatePublicKeyV2,
    DeactivatePublicKeyV2,
    RemovePublicKeyV2,
    ListPublicKeysV2,
}
