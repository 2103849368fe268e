using System.Text.Json.Nodes;
using ActionExec.Grpc.Errors;
using ActionExec.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Zitadel.Action.V2Beta;
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

    public async Task<ManagementOutcome> RunAsync(ManagementHost host, ManagementOperation operation, string? body, string? targetId, string? key)
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
                default:
                    await v2.ListExecutionsAsync(new ListExecutionsRequest());
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
}
