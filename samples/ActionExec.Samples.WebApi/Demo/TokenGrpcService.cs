using ActionExec.Samples.WebApi.Demo.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActionExec.Samples.WebApi.Demo;

/// <summary>
/// <c>demo.v1.TokenService</c> over gRPC and gRPC-Web: the same <see cref="DemoApi"/> code as the JSON route, whose claims (a JSON
/// object) become the answer's <c>google.protobuf.Struct</c>. (The proto messages live in <c>Demo.V1</c>; the unqualified
/// <c>IssueTokenRequest</c> here is the JSON route's record.)
/// </summary>
internal sealed class TokenGrpcService(DemoApi demo) : TokenService.TokenServiceBase
{
    public override async Task<IssueTokenResponse> IssueToken(V1.IssueTokenRequest request, ServerCallContext context)
    {
        var reply = await demo.CallAsync(new IssueTokenRequest(request.UserId), context, demo.IssueAsync);
        return new IssueTokenResponse { UserId = reply.UserId, Claims = JsonParser.Default.Parse<Struct>(reply.Claims.ToJsonString()) };
    }
}
