using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ActionExec.Tests.Management;

/// <summary>A host service that manages targets and executions is unit-tested with a substitute, without a store or an engine.</summary>
public sealed class IActionManagementTests
{
    private static readonly ManagementCaller Caller = ManagementCaller.ForHost("tenant-1");

    [Fact]
    public async Task CreateTargetAsync_Substitute_HostServiceBindsTheCreatedTarget()
    {
        var management = Substitute.For<IActionManagement>();
        management.CreateTargetAsync(Caller, Arg.Any<TargetSpec>(), Arg.Any<CancellationToken>())
            .Returns(call => new CreatedTarget(TargetFrom(call.ArgAt<TargetSpec>(1), "target-1"), "key"));
        management.SetExecutionAsync(Caller, Arg.Any<Condition>(), Arg.Any<IReadOnlyList<ExecutionEntry>>(), Arg.Any<CancellationToken>())
            .Returns(new SetExecutionResult(new ExecutionDetails(1, DateTimeOffset.UnixEpoch, "tenant-1"), Changed: true));
        var onboarding = new WebhookOnboarding(management);

        var targetId = await onboarding.AddSignUpCheckAsync(Caller, "https://hooks.example.com/signup");

        Assert.Equal("target-1", targetId);
        await management.Received(1).SetExecutionAsync(
            Caller,
            Condition.RequestMethod("/shop.v1.Users/SignUp"),
            Arg.Is<IReadOnlyList<ExecutionEntry>>(e => e.Count == 1 && e[0] == ExecutionEntry.ForTarget("target-1")),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task CreateTargetAsync_SubstituteRefuses_HostServiceSetsNothing()
    {
        var management = Substitute.For<IActionManagement>();
        management.CreateTargetAsync(Caller, Arg.Any<TargetSpec>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new ActionExecException(ActionExecErrorCode.AlreadyExists, "taken"));
        var onboarding = new WebhookOnboarding(management);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => onboarding.AddSignUpCheckAsync(Caller, "https://hooks.example.com/signup"));

        Assert.Equal(ActionExecErrorCode.AlreadyExists, error.Code);
        await management.DidNotReceiveWithAnyArgs().SetExecutionAsync(default!, default!, default!, default);
    }

    private static Target TargetFrom(TargetSpec spec, string id) => new()
    {
        Id = id,
        Name = spec.Name,
        Endpoint = spec.Endpoint,
        Type = spec.Type,
        Timeout = spec.Timeout,
        InterruptOnError = spec.InterruptOnError,
    };

    /// <summary>What a host writes: creates a call target and puts it on its sign-up method.</summary>
    private sealed class WebhookOnboarding(IActionManagement management)
    {
        public async Task<string> AddSignUpCheckAsync(ManagementCaller caller, string endpoint)
        {
            var created = await management.CreateTargetAsync(caller, new TargetSpec
            {
                Name = "signup-check",
                Endpoint = endpoint,
                Type = TargetType.Call,
                Timeout = TimeSpan.FromSeconds(5),
                InterruptOnError = true,
            });
            await management.SetExecutionAsync(caller, Condition.RequestMethod("/shop.v1.Users/SignUp"), [ExecutionEntry.ForTarget(created.Target.Id)]);
            return created.Target.Id;
        }
    }
}
