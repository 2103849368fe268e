using System.Net;
using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Grpc.Tests.Support;
using ActionExec.Targets;
using Grpc.Core;
using V2 = Zitadel.Action.V2;
using V2Beta = Zitadel.Action.V2Beta;
using V3 = Zitadel.Resources.Action.V3Alpha;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>
/// ZITADEL's issue 8205: an interrupting target that cannot be reached, set on every request and every response, must not lock the
/// administrator out of the API that removes it. With both of the host's interceptors installed, every transport and version of the
/// management API still lists the broken target and removes it, after which the host's own calls answer again.
/// </summary>
public sealed class EscapeHatchTests
{
    public static TheoryData<string> Transports { get; } =
    [
        "REST v2beta", "REST v2", "REST v3alpha",
        "gRPC v2beta", "gRPC v2", "gRPC v3alpha",
        "gRPC-Web v2beta", "gRPC-Web v2", "gRPC-Web v3alpha",
    ];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task BrokenInterruptingTargetOnAllRequestsAndResponses_ThroughEachTransport_IsListedAndRemovedAndTheHostAnswersAgain(string transport)
    {
        await using var host = await InterceptedHost.StartAsync();
        var broken = await host.Management.CreateTargetAsync(InterceptedHost.HostCaller, new TargetSpec
        {
            Name = "broken",
            Endpoint = InterceptedHost.RefusingEndpoint(),
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(5),
            InterruptOnError = true,
        });
        var id = broken.Target.Id;
        await host.Management.SetExecutionAsync(InterceptedHost.HostCaller, Condition.AllRequests, [ExecutionEntry.ForTarget(id)]);
        await host.Management.SetExecutionAsync(InterceptedHost.HostCaller, Condition.AllResponses, [ExecutionEntry.ForTarget(id)]);

        // While the target is set, the host's own calls meet it and are refused, on every transport.
        Assert.Equal(HttpStatusCode.BadRequest, await host.CallHostHttpAsync());
        Assert.Equal(StatusCode.FailedPrecondition, await host.CallHostGrpcAsync(web: false));
        Assert.Equal(StatusCode.FailedPrecondition, await host.CallHostGrpcAsync(web: true));

        // The management API is never intercepted: it lists the target on both conditions and removes it.
        Assert.Equal([id, id], await ListTargetIdsAsync(host, transport));
        await RemoveAsync(host, transport, id);

        Assert.Empty((await host.Management.ListExecutionsAsync(InterceptedHost.HostCaller)).SelectMany(static e => e.Entries));
        Assert.Equal(HttpStatusCode.OK, await host.CallHostHttpAsync());
        Assert.Equal(StatusCode.OK, await host.CallHostGrpcAsync(web: false));
        Assert.Equal(StatusCode.OK, await host.CallHostGrpcAsync(web: true));
    }

    /// <summary>
    /// The ids of the targets the tenant's executions name, through the list of <paramref name="transport"/>'s version; v3alpha has
    /// no execution list in our files, so its rows list through v2beta on the same transport.
    /// </summary>
    private static async Task<string[]> ListTargetIdsAsync(InterceptedHost host, string transport)
    {
        var (carrier, version) = Split(transport);
        if (Is(carrier, "REST"))
        {
            if (Is(version, "v2"))
            {
                var search = await JsonAsync(host, HttpMethod.Post, "/v2/actions/executions/search", "{}");
                return [.. search["executions"]!.AsArray().SelectMany(static e => e!["targets"]!.AsArray()).Select(static t => (string)t!)];
            }

            var list = await JsonAsync(host, HttpMethod.Get, "/v2beta/actions/executions", null);
            return [.. list["result"]!.AsArray().SelectMany(static e => e!["targets"]!.AsArray()).Select(static t => (string)t!["target"]!)];
        }

        using var channel = host.Channel(web: Is(carrier, "gRPC-Web"));
        if (Is(version, "v2"))
        {
            var executions = await new V2.ActionService.ActionServiceClient(channel).ListExecutionsAsync(new V2.ListExecutionsRequest());
            return [.. executions.Executions.SelectMany(static e => e.Targets)];
        }

        var result = await new V2Beta.ActionService.ActionServiceClient(channel).ListExecutionsAsync(new V2Beta.ListExecutionsRequest());
        return [.. result.Result.SelectMany(static e => e.Targets).Select(static t => t.Target)];
    }

    /// <summary>Removes the target: v2 deletes it; v2beta and v3alpha set both executions to an empty list.</summary>
    private static async Task RemoveAsync(InterceptedHost host, string transport, string id)
    {
        var (carrier, version) = Split(transport);
        string[] conditions = ["""{"request":{"all":true}}""", """{"response":{"all":true}}"""];
        if (Is(carrier, "REST"))
        {
            if (Is(version, "v2"))
            {
                await JsonAsync(host, HttpMethod.Delete, "/v2/actions/targets/" + id, null);
                return;
            }

            foreach (var condition in conditions)
            {
                await JsonAsync(host, HttpMethod.Put, Is(version, "v3alpha") ? "/v3alpha/executions" : "/v2beta/actions/executions", $$"""{"condition":{{condition}},"targets":[]}""");
            }

            return;
        }

        using var channel = host.Channel(web: Is(carrier, "gRPC-Web"));
        switch (version)
        {
            case "v2":
                await new V2.ActionService.ActionServiceClient(channel).DeleteTargetAsync(new V2.DeleteTargetRequest { Id = id });
                break;
            case "v3alpha":
                var v3 = new V3.ZITADELActions.ZITADELActionsClient(channel);
                await v3.SetExecutionAsync(new V3.SetExecutionRequest { Condition = new V3.Condition { Request = new V3.RequestExecution { All = true } }, Execution = new V3.Execution() });
                await v3.SetExecutionAsync(new V3.SetExecutionRequest { Condition = new V3.Condition { Response = new V3.ResponseExecution { All = true } }, Execution = new V3.Execution() });
                break;
            default:
                var v2beta = new V2Beta.ActionService.ActionServiceClient(channel);
                await v2beta.SetExecutionAsync(new V2Beta.SetExecutionRequest { Condition = new V2Beta.Condition { Request = new V2Beta.RequestExecution { All = true } } });
                await v2beta.SetExecutionAsync(new V2Beta.SetExecutionRequest { Condition = new V2Beta.Condition { Response = new V2Beta.ResponseExecution { All = true } } });
                break;
        }
    }

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.Ordinal);

    private static (string Carrier, string Version) Split(string transport)
    {
        var space = transport.IndexOf(' ', StringComparison.Ordinal);
        return (transport[..space], transport[(space + 1)..]);
    }

    private static async Task<JsonObject> JsonAsync(InterceptedHost host, HttpMethod method, string path, string? body)
    {
        using var response = await host.SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
