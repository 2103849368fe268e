using System.Text.Json.Nodes;
using ActionExec.Grpc.Errors;
using ActionExec.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Zitadel.Action.V2Beta;
using V2 = Zitadel.Action.V2;
using V3 = Zitadel.Resources.Action.V3Alpha;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>
/// gRPC (HTTP/2) or gRPC-Web (HTTP/1.1) with clients generated from the package's .proto files. The table's JSON bodies are read
/// into the request messages by Google.Protobuf's proto-JSON parser, so the messages are exactly what a client would send.
/// </summary>
public sealed class GrpcDriver(bool web) : IManagementDriver
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public string Name => web ? "gRPC-Web" : "gRPC";

    public string FieldName(string jsonField) => GrpcErrors.ProtoFieldPath(jsonField);

    public async Task<ManagementOutcome> RunAsync(ManagementHost host, ManagementOperation operation, string? body, string? targetId, string? key, string? keyId)
    {
        using var channel = host.Channel(web, key);
        var v2 = new ActionService.ActionServiceClient(channel);
        try
        {
            switch (operation)
            {
                case ManagementOperation.SetExecutionV2Beta:
                    await v2.SetExecutionAsync(Parser.Parse<SetExecutionRequest>(body));
                    break;
                case ManagementOperation.SetExecutionV3Alpha:
                    var v3Body = JsonNode.Parse(body!)!.AsObject();
                    if (v3Body.Remove("targets", out var targets))
                    {
                        v3Body["execution"] = new JsonObject { ["targets"] = targets };
                    }

                    await new V3.ZITADELActions.ZITADELActionsClient(channel).SetExecutionAsync(Parser.Parse<V3.SetExecutionRequest>(v3Body.ToJsonString()));
                    break;
                case ManagementOperation.CreateTarget:
                    await v2.CreateTargetAsync(Parser.Parse<CreateTargetRequest>(body));
                    break;
                case ManagementOperation.UpdateTarget:
                    var update = Parser.Parse<UpdateTargetRequest>(body);
                    update.Id = targetId;
                    await v2.UpdateTargetAsync(update);
                    break;
                case ManagementOperation.DeleteTarget:
                    await v2.DeleteTargetAsync(new DeleteTargetRequest { Id = targetId });
                    break;
                case ManagementOperation.GetTarget:
                    await v2.GetTargetAsync(new GetTargetRequest { Id = targetId });
                    break;
                case ManagementOperation.ListTargets:
                    await v2.ListTargetsAsync(new ListTargetsRequest());
                    break;
                case ManagementOperation.ListExecutions:
                    await v2.ListExecutionsAsync(new ListExecutionsRequest());
                    break;
                default:
                    await RunV2Async(new V2.ActionService.ActionServiceClient(channel), operation, body, targetId, keyId);
                    break;
            }

            return new ManagementOutcome(0, []);
        }
        catch (RpcException error)
        {
            var status = error.GetRpcStatus();
            Assert.True(status is not null, error.Status.ToString());
            Assert.Equal((int)error.StatusCode, status.Code);
            Assert.Equal(error.Status.Detail, status.Message);
            var fields = status.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToArray() ?? [];
            return new ManagementOutcome((int)error.StatusCode, fields);
        }
    }

    /// <summary>A call of <c>zitadel.action.v2.ActionService</c>; the table's v2 bodies are ZITADEL's GA JSON, read into its messages.</summary>
    private static async Task RunV2Async(V2.ActionService.ActionServiceClient client, ManagementOperation operation, string? body, string? targetId, string? keyId)
    {
        switch (operation)
        {
            case ManagementOperation.SetExecutionV2:
                await client.SetExecutionAsync(Parser.Parse<V2.SetExecutionRequest>(body));
                break;
            case ManagementOperation.CreateTargetV2:
                await client.CreateTargetAsync(Parser.Parse<V2.CreateTargetRequest>(body));
                break;
            case ManagementOperation.UpdateTargetV2:
                var update = Parser.Parse<V2.UpdateTargetRequest>(body);
                update.Id = targetId;
                await client.UpdateTargetAsync(update);
                break;
            case ManagementOperation.DeleteTargetV2:
                await client.DeleteTargetAsync(new V2.DeleteTargetRequest { Id = targetId });
                break;
            case ManagementOperation.GetTargetV2:
                await client.GetTargetAsync(new V2.GetTargetRequest { Id = targetId });
                break;
            case ManagementOperation.ListTargetsV2:
                await client.ListTargetsAsync(Parser.Parse<V2.ListTargetsRequest>(body ?? "{}"));
                break;
            case ManagementOperation.ListExecutionsV2:
                await client.ListExecutionsAsync(Parser.Parse<V2.ListExecutionsRequest>(body ?? "{}"));
                break;
            case ManagementOperation.AddPublicKeyV2:
                var add = Parser.Parse<V2.AddPublicKeyRequest>(body);
                add.TargetId = targetId;
                await client.AddPublicKeyAsync(add);
                break;
            case ManagementOperation.ActivatePublicKeyV2:
                await client.ActivatePublicKeyAsync(new V2.ActivatePublicKeyRequest { TargetId = targetId, KeyId = keyId });
                break;
            case ManagementOperation.DeactivatePublicKeyV2:
                await client.DeactivatePublicKeyAsync(new V2.DeactivatePublicKeyRequest { TargetId = targetId, KeyId = keyId });
                break;
            case ManagementOperation.RemovePublicKeyV2:
                await client.RemovePublicKeyAsync(new V2.RemovePublicKeyRequest { TargetId = targetId, KeyId = keyId });
                break;
            default:
                await client.ListPublicKeysAsync(new V2.ListPublicKeysRequest { TargetId = targetId });
                break;
        }
    }
}
