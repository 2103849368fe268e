using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Grpc.Tests.Support;
using Grpc.Core;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>
/// One row of the shared table: a call with its JSON body in the HTTP API's form (<c>{hook}</c>, <c>{other}</c> stand for the ids of
/// the arranged targets), the caller's key (<c>Key</c>; <c>KeyId</c> is a target's public key), and what every transport must answer: the code and the fields of the violations, in the
/// HTTP API's naming (the gRPC drivers expect them in proto field naming).
/// </summary>
public sealed record ManagementCase(
    string Name,
    ManagementOperation Operation,
    string? Body = null,
    string? TargetId = null,
    string? KeyId = null,
    string? Key = TestAuthenticationHandler.Admin,
    StatusCode Code = StatusCode.OK,
    string[]? Fields = null,
    Func<ManagementHost, ArrangedTargets, Task>? Arrange = null,
    Func<ManagementHost, ArrangedTargets, Task>? Then = null)
{
    public override string ToString() => Name;
}
