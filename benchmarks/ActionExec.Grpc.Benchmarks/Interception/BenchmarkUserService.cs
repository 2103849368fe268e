using ActionExec.Grpc.Benchmarks.Protos;
using Grpc.Core;

namespace ActionExec.Grpc.Benchmarks.Interception;

/// <summary>A service that answers at once, so that a loopback call measures the transport and the interceptor.</summary>
internal sealed class BenchmarkUserService : UserService.UserServiceBase
{
    private static readonly Task<AddHumanUserResponse> Answer = Task.FromResult(new AddHumanUserResponse { UserId = "69629026806489455" });

    public override Task<AddHumanUserResponse> AddHumanUser(AddHumanUserRequest request, ServerCallContext context) => Answer;

    public override Task<AddHumanUserResponse> ListUsers(AddHumanUserRequest request, ServerCallContext context) => Answer;
}
