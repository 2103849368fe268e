using System.Security.Cryptography;
using System.Text;
using ActionExec.AspNetCore.Tests.Support;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Grpc.Tests.Support;
using Grpc.Core;
using static ActionExec.Grpc.Tests.Management.ManagementOperation;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>
/// The shared table of management cases: every rule of SetExecution and of targets, run through the HTTP API, gRPC and gRPC-Web
/// against one management implementation. Each case starts with the targets <c>hook</c> and <c>other</c> and the execution
/// <c>request/pkg.v1.Service</c> → [hook], in a catalog of the methods <c>/pkg.v1.Service/Method</c>, <c>…/Other</c> and <c>…/Third</c>.
/// </summary>
public static class ManagementCases
{
    public const string Method = """{"request":{"method":"/pkg.v1.Service/Method"}}""";
    public const string Other = """{"request":{"method":"/pkg.v1.Service/Other"}}""";
    public const string Third = """{"request":{"method":"/pkg.v1.Service/Third"}}""";
    public const string Service = """{"request":{"service":"pkg.v1.Service"}}""";

    public static readonly string[] CatalogMethods = ["/pkg.v1.Service/Method", "/pkg.v1.Service/Other", "/pkg.v1.Service/Third"];

    /// <summary>
    /// An EC public key on P-256, as the base64 of its PEM: proto-JSON's form of ZITADEL's <c>bytes public_key</c>. Declared before
    /// <see cref="All"/>, which reads it as it is built.
    /// </summary>
    private static readonly string EcPublicKey = NewEcPublicKey();

    public static IReadOnlyList<ManagementCase> All { get; } =
    [
        .. SetExecution(SetExecutionV2Beta, "v2beta"),
        .. SetExecution(SetExecutionV3Alpha, "v3alpha"),
        .. Targets(),
        .. SetExecutionV2(),
        .. TargetsV2(),
        .. PublicKeysV2(),
    ];

    private static IEnumerable<ManagementCase> SetExecution(ManagementOperation set, string version)
    {
        yield return new($"SetExecution {version}: a target", set, $$"""{"condition":{{Method}},"targets":[{"target":"{hook}"}]}""",
            Then: static async (host, ids) => Assert.Equal([$"target:{ids.Hook}"], await EntriesAsync(host, "/pkg.v1.Service/Method")));
        yield return new($"SetExecution {version}: targets and an include, in order", set,
            $$"""{"condition":{{Method}},"targets":[{"target":"{other}"},{"include":{{Service}}},{"target":"{hook}"}]}""",
            Then: static async (host, ids) => Assert.Equal(
                [$"target:{ids.Other}", "include:request/pkg.v1.Service", $"target:{ids.Hook}"],
                await EntriesAsync(host, "/pkg.v1.Service/Method")));
        yield return new($"SetExecution {version}: an empty list removes the execution", set, $$"""{"condition":{{Service}},"targets":[]}""",
            Then: static async (host, _) => Assert.Empty(await host.Management.ListExecutionsAsync(ManagementHost.HostCaller)));
        yield return new($"SetExecution {version}: an unknown target", set, $$"""{"condition":{{Method}},"targets":[{"target":"nope"}]}""",
            Code: StatusCode.NotFound, Fields: ["targets[0].target"]);
        yield return new($"SetExecution {version}: an include of no execution", set, $$"""{"condition":{{Method}},"targets":[{"include":{{Other}}}]}""",
            Code: StatusCode.NotFound, Fields: ["targets[0].include"]);
        yield return new($"SetExecution {version}: a method not in the catalog", set,
            """{"condition":{"request":{"method":"/pkg.v1.Unknown/Method"}},"targets":[{"target":"{hook}"}]}""",
            Code: StatusCode.InvalidArgument, Fields: ["condition.request.method"]);
        yield return new($"SetExecution {version}: a malformed method", set, """{"condition":{"request":{"method":"no-slash"}},"targets":[]}""",
            Code: StatusCode.InvalidArgument, Fields: ["condition.request.method"]);
        yield return new($"SetExecution {version}: no condition", set, """{"targets":[{"target":"{hook}"}]}""",
            Code: StatusCode.InvalidArgument, Fields: ["condition"]);
        yield return new($"SetExecution {version}: a condition of no kind", set, """{"condition":{},"targets":[]}""",
            Code: StatusCode.InvalidArgument, Fields: ["condition"]);
        yield return new($"SetExecution {version}: an entry of neither target nor include, and a bad include", set,
            $$$$"""{"condition":{{{{Method}}}},"targets":[{},{"include":{"request":{"method":"bad"}}}]}""",
            Code: StatusCode.InvalidArgument, Fields: ["targets[0]", "targets[1].include.request.method"]);
        yield return new($"SetExecution {version}: an include cycle", set, $$"""{"condition":{{Third}},"targets":[{"include":{{Other}}}]}""",
            Arrange: static async (host, ids) =>
            {
                await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Condition.RequestMethod("/pkg.v1.Service/Third"), [ExecutionEntry.ForTarget(ids.Hook)]);
                await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Condition.RequestMethod("/pkg.v1.Service/Other"), [ExecutionEntry.ForInclude(Condition.RequestMethod("/pkg.v1.Service/Third"))]);
            },
            Code: StatusCode.FailedPrecondition);
        yield return new($"SetExecution {version}: includes deeper than allowed", set, $$"""{"condition":{{Method}},"targets":[{"include":{{Other}}}]}""",
            Arrange: static async (host, _) =>
            {
                await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Condition.RequestMethod("/pkg.v1.Service/Third"), [ExecutionEntry.ForInclude(Condition.RequestService("pkg.v1.Service"))]);
                await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Condition.RequestMethod("/pkg.v1.Service/Other"), [ExecutionEntry.ForInclude(Condition.RequestMethod("/pkg.v1.Service/Third"))]);
            },
            Code: StatusCode.FailedPrecondition);
        yield return new($"SetExecution {version}: a reader may not write", set, $$"""{"condition":{{Method}},"targets":[{"target":"nope"}]}""",
            Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new($"SetExecution {version}: no credentials", set, $$"""{"condition":{{Method}},"targets":[]}""",
            Key: null, Code: StatusCode.Unauthenticated);
    }

    private static async Task<string[]> EntriesAsync(ManagementHost host, string method) =>
        [.. (await host.Management.GetExecutionAsync(ManagementHost.HostCaller, Condition.RequestMethod(method))).Entries.Select(static e => e.ToString())];

    private static IEnumerable<ManagementCase> Targets()
    {
        yield return new("CreateTarget: a webhook", CreateTarget,
            """{"name":"new","endpoint":"http://127.0.0.1:9/new","timeout":"10s","restWebhook":{"interruptOnError":true}}""",
            Then: static async (host, _) => Assert.Contains(await host.Management.ListTargetsAsync(ManagementHost.HostCaller), static t => string.Equals(t.Name, "new", StringComparison.Ordinal)));
        yield return new("CreateTarget: every limit broken", CreateTarget,
            """{"name":"","endpoint":"ftp://x","timeout":"300s","restCall":{}}""",
            Code: StatusCode.InvalidArgument, Fields: ["name", "endpoint", "timeout"]);
        yield return new("CreateTarget: no type", CreateTarget, """{"name":"x","endpoint":"http://127.0.0.1:9/x","timeout":"10s"}""",
            Code: StatusCode.InvalidArgument, Fields: ["targetType"]);
        yield return new("CreateTarget: a name taken", CreateTarget, """{"name":"hook","endpoint":"http://127.0.0.1:9/x","timeout":"10s","restAsync":{}}""",
            Code: StatusCode.AlreadyExists, Fields: ["name"]);
        yield return new("CreateTarget: a reader may not create", CreateTarget, """{"name":"x","endpoint":"http://127.0.0.1:9/x","timeout":"10s","restAsync":{}}""",
            Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("UpdateTarget: a new endpoint", UpdateTarget, """{"endpoint":"http://127.0.0.1:9/moved"}""", TargetId: "{hook}",
            Then: static async (host, ids) => Assert.Equal("http://127.0.0.1:9/moved", (await host.Management.GetTargetAsync(ManagementHost.HostCaller, ids.Hook)).Endpoint));
        yield return new("UpdateTarget: a bad endpoint", UpdateTarget, """{"endpoint":"not a url"}""", TargetId: "{hook}",
            Code: StatusCode.InvalidArgument, Fields: ["endpoint"]);
        yield return new("UpdateTarget: an unknown target", UpdateTarget, """{"name":"x"}""", TargetId: "nope", Code: StatusCode.NotFound);
        yield return new("DeleteTarget: removes it from executions", DeleteTarget, TargetId: "{hook}",
            Then: static async (host, _) => Assert.Empty((await host.Management.ListExecutionsAsync(ManagementHost.HostCaller)).SelectMany(e => e.Entries)));
        yield return new("DeleteTarget: an unknown target", DeleteTarget, TargetId: "nope", Code: StatusCode.NotFound);
        yield return new("DeleteTarget: a reader may not delete", DeleteTarget, TargetId: "{hook}", Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("GetTarget: a reader may read", GetTarget, TargetId: "{hook}", Key: TestAuthenticationHandler.Reader);
        yield return new("GetTarget: an unknown target", GetTarget, TargetId: "nope", Code: StatusCode.NotFound);
        yield return new("GetTarget: nobody's permissions", GetTarget, TargetId: "{hook}", Key: TestAuthenticationHandler.Nobody, Code: StatusCode.PermissionDenied);
        yield return new("ListTargets: a reader may list", ListTargets, Key: TestAuthenticationHandler.Reader);
        yield return new("ListTargets: no credentials", ListTargets, Key: null, Code: StatusCode.Unauthenticated);
        yield return new("ListExecutions: a reader may list", ListExecutions, Key: TestAuthenticationHandler.Reader);
        yield return new("ListExecutions: nobody's permissions", ListExecutions, Key: TestAuthenticationHandler.Nobody, Code: StatusCode.PermissionDenied);
    }

    /// <summary>The GA <c>SetExecution</c>: its targets are target ids, with the rules and paths of the other versions.</summary>
    private static IEnumerable<ManagementCase> SetExecutionV2()
    {
        yield return new("SetExecution v2: target ids, in order", ManagementOperation.SetExecutionV2, $$"""{"condition":{{Method}},"targets":["{other}","{hook}"]}""",
            Then: static async (host, ids) => Assert.Equal([$"target:{ids.Other}", $"target:{ids.Hook}"], await EntriesAsync(host, "/pkg.v1.Service/Method")));
        yield return new("SetExecution v2: an empty list removes the execution", ManagementOperation.SetExecutionV2, $$"""{"condition":{{Service}},"targets":[]}""",
            Then: static async (host, _) => Assert.Empty(await host.Management.ListExecutionsAsync(ManagementHost.HostCaller)));
        yield return new("SetExecution v2: an unknown target", ManagementOperation.SetExecutionV2, $$"""{"condition":{{Method}},"targets":["{hook}","nope"]}""",
            Code: StatusCode.NotFound, Fields: ["targets[1]"]);
        yield return new("SetExecution v2: a method not in the catalog", ManagementOperation.SetExecutionV2,
            """{"condition":{"request":{"method":"/pkg.v1.Unknown/Method"}},"targets":["{hook}"]}""",
            Code: StatusCode.InvalidArgument, Fields: ["condition.request.method"]);
        yield return new("SetExecution v2: no condition", ManagementOperation.SetExecutionV2, """{"targets":["{hook}"]}""",
            Code: StatusCode.InvalidArgument, Fields: ["condition"]);
        yield return new("SetExecution v2: a reader may not write", ManagementOperation.SetExecutionV2, $$"""{"condition":{{Method}},"targets":["nope"]}""",
            Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("SetExecution v2: no credentials", ManagementOperation.SetExecutionV2, $$"""{"condition":{{Method}},"targets":[]}""",
            Key: null, Code: StatusCode.Unauthenticated);
    }

    private static IEnumerable<ManagementCase> TargetsV2()
    {
        yield return new("CreateTarget v2: a JSON webhook", ManagementOperation.CreateTargetV2,
            """{"name":"new","endpoint":"http://127.0.0.1:9/new","timeout":"10s","restWebhook":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JSON"}""",
            Then: static async (host, _) => Assert.Contains(await host.Management.ListTargetsAsync(ManagementHost.HostCaller), static t => string.Equals(t.Name, "new", StringComparison.Ordinal)));
        yield return new("CreateTarget v2: every limit broken", ManagementOperation.CreateTargetV2,
            """{"name":"","endpoint":"ftp://x","timeout":"300s","restCall":{}}""",
            Code: StatusCode.InvalidArgument, Fields: ["name", "endpoint", "timeout"]);
        yield return new("CreateTarget v2: no type", ManagementOperation.CreateTargetV2, """{"name":"x","endpoint":"http://127.0.0.1:9/x","timeout":"10s"}""",
            Code: StatusCode.InvalidArgument, Fields: ["targetType"]);
        yield return new("CreateTarget v2: a name taken", ManagementOperation.CreateTargetV2, """{"name":"hook","endpoint":"http://127.0.0.1:9/x","timeout":"10s","restAsync":{}}""",
            Code: StatusCode.AlreadyExists, Fields: ["name"]);
        yield return new("CreateTarget v2: a reader may not create", ManagementOperation.CreateTargetV2, """{"name":"x","endpoint":"http://127.0.0.1:9/x","timeout":"10s","restAsync":{}}""",
            Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("UpdateTarget v2: a new endpoint", ManagementOperation.UpdateTargetV2, """{"endpoint":"http://127.0.0.1:9/moved"}""", TargetId: "{hook}",
            Then: static async (host, ids) => Assert.Equal("http://127.0.0.1:9/moved", (await host.Management.GetTargetAsync(ManagementHost.HostCaller, ids.Hook)).Endpoint));
        yield return new("UpdateTarget v2: a bad endpoint", ManagementOperation.UpdateTargetV2, """{"endpoint":"not a url"}""", TargetId: "{hook}",
            Code: StatusCode.InvalidArgument, Fields: ["endpoint"]);
        yield return new("UpdateTarget v2: an unknown target", ManagementOperation.UpdateTargetV2, """{"name":"x"}""", TargetId: "nope", Code: StatusCode.NotFound);
        yield return new("DeleteTarget v2: removes it from executions", ManagementOperation.DeleteTargetV2, TargetId: "{hook}",
            Then: static async (host, _) => Assert.Empty((await host.Management.ListExecutionsAsync(ManagementHost.HostCaller)).SelectMany(e => e.Entries)));
        yield return new("DeleteTarget v2: a target already gone is success", ManagementOperation.DeleteTargetV2, TargetId: "nope");
        yield return new("DeleteTarget v2: a reader may not delete", ManagementOperation.DeleteTargetV2, TargetId: "nope", Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("GetTarget v2: a reader may read", ManagementOperation.GetTargetV2, TargetId: "{hook}", Key: TestAuthenticationHandler.Reader);
        yield return new("GetTarget v2: an unknown target", ManagementOperation.GetTargetV2, TargetId: "nope", Code: StatusCode.NotFound);
        yield return new("ListTargets v2: a reader may search", ManagementOperation.ListTargetsV2,
            """{"pagination":{"limit":1000,"asc":true},"sortingColumn":"TARGET_FIELD_NAME_NAME","filters":[{"targetNameFilter":{"targetName":"HOOK","method":"TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE"}}]}""",
            Key: TestAuthenticationHandler.Reader);
        yield return new("ListTargets v2: a limit over 1000", ManagementOperation.ListTargetsV2, """{"pagination":{"limit":1001}}""",
            Code: StatusCode.InvalidArgument, Fields: ["pagination.limit"]);
        yield return new("ListTargets v2: no credentials", ManagementOperation.ListTargetsV2, "{}", Key: null, Code: StatusCode.Unauthenticated);
        yield return new("ListExecutions v2: a reader may search", ManagementOperation.ListExecutionsV2,
            """{"sortingColumn":"EXECUTION_FIELD_NAME_CHANGED_DATE","filters":[{"executionTypeFilter":{"executionType":"EXECUTION_TYPE_REQUEST"}},{"targetFilter":{"targetId":"{hook}"}}]}""",
            Key: TestAuthenticationHandler.Reader);
        yield return new("ListExecutions v2: a limit over 1000", ManagementOperation.ListExecutionsV2, """{"pagination":{"limit":1001}}""",
            Code: StatusCode.InvalidArgument, Fields: ["pagination.limit"]);
        yield return new("ListExecutions v2: nobody's permissions", ManagementOperation.ListExecutionsV2, "{}", Key: TestAuthenticationHandler.Nobody, Code: StatusCode.PermissionDenied);
        yield return new("GetTarget v2: nobody's permissions", ManagementOperation.GetTargetV2, TargetId: "{hook}", Key: TestAuthenticationHandler.Nobody, Code: StatusCode.PermissionDenied);
    }

    private static IEnumerable<ManagementCase> PublicKeysV2()
    {
        yield return new("AddPublicKey v2: an EC key", ManagementOperation.AddPublicKeyV2, $$"""{"publicKey":"{{EcPublicKey}}"}""", TargetId: "{hook}",
            Then: static async (host, ids) => Assert.False(Assert.Single(await host.Management.ListPublicKeysAsync(ManagementHost.HostCaller, ids.Hook)).Active));
        yield return new("AddPublicKey v2: not a key", ManagementOperation.AddPublicKeyV2, """{"publicKey":"bm90IGEga2V5"}""", TargetId: "{hook}",
            Code: StatusCode.InvalidArgument, Fields: ["publicKey"]);
        yield return new("AddPublicKey v2: an unknown target", ManagementOperation.AddPublicKeyV2, $$"""{"publicKey":"{{EcPublicKey}}"}""", TargetId: "nope",
            Code: StatusCode.NotFound);
        yield return new("AddPublicKey v2: a reader may not add", ManagementOperation.AddPublicKeyV2, $$"""{"publicKey":"{{EcPublicKey}}"}""", TargetId: "{hook}",
            Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("ActivatePublicKey v2: an unknown key", ManagementOperation.ActivatePublicKeyV2, TargetId: "{hook}", KeyId: "nope", Code: StatusCode.NotFound);
        yield return new("DeactivatePublicKey v2: an unknown key", ManagementOperation.DeactivatePublicKeyV2, TargetId: "{hook}", KeyId: "nope", Code: StatusCode.NotFound);
        yield return new("RemovePublicKey v2: a reader may not remove", ManagementOperation.RemovePublicKeyV2, TargetId: "{hook}", KeyId: "nope",
            Key: TestAuthenticationHandler.Reader, Code: StatusCode.PermissionDenied);
        yield return new("ListPublicKeys v2: a reader may list", ManagementOperation.ListPublicKeysV2, TargetId: "{hook}", Key: TestAuthenticationHandler.Reader);
        yield return new("ListPublicKeys v2: nobody's permissions", ManagementOperation.ListPublicKeysV2, TargetId: "{hook}",
            Key: TestAuthenticationHandler.Nobody, Code: StatusCode.PermissionDenied);
    }

    private static string NewEcPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(key.ExportSubjectPublicKeyInfoPem()));
    }
}
