namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>
/// The small tenant every request of the bad-input run is sent to: three targets (<c>hook</c>, <c>call</c>, <c>async</c>) and
/// three executions — <see cref="MethodExecution"/> → hook, call; <see cref="FunctionExecution"/> → call;
/// <see cref="GroupExecution"/> → include of the method execution, async.
/// </summary>
internal sealed record FuzzTenant(string Id, string HookId, string CallId, string AsyncId)
{
    public const string Method = "/pkg.v1.Service/Method";

    public const string MethodExecution = "request/pkg.v1.Service/Method";

    public const string FunctionExecution = "function/preuserinfo";

    public const string GroupExecution = "event/user.human.*";

    public const string HookName = "hook";

    public const string CallName = "call";

    public const string AsyncName = "async";

    public IReadOnlyList<string> TargetIds => [HookId, CallId, AsyncId];
}
