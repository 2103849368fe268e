using System.Text.Json.Nodes;
using ActionExec.Grpc.Tests.Support;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>The HTTP API: ZITADEL's REST paths and JSON bodies.</summary>
public sealed class RestDriver : IManagementDriver
{
    public string Name => "REST";

    public string FieldName(string jsonField) => jsonField;

    public async Task<ManagementOutcome> RunAsync(ManagementHost host, ManagementOperation operation, string? body, string? targetId, string? key, string? keyId)
    {
        var (method, path) = operation switch
        {
            ManagementOperation.SetExecutionV2Beta => (HttpMethod.Put, "/v2beta/actions/executions"),
            ManagementOperation.SetExecutionV3Alpha => (HttpMethod.Put, "/v3alpha/executions"),
            ManagementOperation.CreateTarget => (HttpMethod.Post, "/v2beta/actions/targets"),
            ManagementOperation.UpdateTarget => (HttpMethod.Patch, "/v2beta/actions/targets/" + targetId),
            ManagementOperation.DeleteTarget => (HttpMethod.Delete, "/v2beta/actions/targets/" + targetId),
            ManagementOperation.GetTarget => (HttpMethod.Get, "/v2beta/actions/targets/" + targetId),
            ManagementOperation.ListTargets => (HttpMethod.Get, "/v2beta/actions/targets"),
            ManagementOperation.ListExecutions => (HttpMethod.Get, "/v2beta/actions/executions"),
            ManagementOperation.SetExecutionV2 => (HttpMethod.Put, "/v2/actions/executions"),
            ManagementOperation.CreateTargetV2 => (HttpMethod.Post, "/v2/actions/targets"),
            ManagementOperation.UpdateTargetV2 => (HttpMethod.Post, "/v2/actions/targets/" + targetId),
            ManagementOperation.DeleteTargetV2 => (HttpMethod.Delete, "/v2/actions/targets/" + targetId),
            ManagementOperation.GetTargetV2 => (HttpMethod.Get, "/v2/actions/targets/" + targetId),
            ManagementOperation.ListTargetsV2 => (HttpMethod.Post, "/v2/actions/targets/search"),
            ManagementOperation.ListExecutionsV2 => (HttpMethod.Post, "/v2/actions/executions/search"),
            ManagementOperation.AddPublicKeyV2 => (HttpMethod.Post, $"/v2/actions/targets/{targetId}/publickeys"),
            ManagementOperation.ActivatePublicKeyV2 => (HttpMethod.Post, $"/v2/actions/targets/{targetId}/publickeys/{keyId}/activate"),
            ManagementOperation.DeactivatePublicKeyV2 => (HttpMethod.Post, $"/v2/actions/targets/{targetId}/publickeys/{keyId}/deactivate"),
            ManagementOperation.RemovePublicKeyV2 => (HttpMethod.Delete, $"/v2/actions/targets/{targetId}/publickeys/{keyId}"),
            _ => (HttpMethod.Post, $"/v2/actions/targets/{targetId}/publickeys/search"),
        };
        using var response = await host.SendAsync(method, path, body, key);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        if (response.IsSuccessStatusCode)
        {
            return new ManagementOutcome(0, []);
        }

        var fields = json["details"] is JsonArray details
            ? details.SelectMany(d => d!["fieldViolations"]!.AsArray()).Select(v => (string)v!["field"]!).ToArray()
            : [];
        return new ManagementOutcome((int)json["code"]!, fields);
    }
}
