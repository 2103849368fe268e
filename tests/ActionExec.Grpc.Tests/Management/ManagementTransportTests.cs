using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.Grpc.Tests.Support;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>Every case of the shared table, through the HTTP API, gRPC and gRPC-Web: the same code and the same violations on each.</summary>
public sealed class ManagementTransportTests
{
    private static readonly IManagementDriver[] Drivers = [new RestDriver(), new GrpcDriver(web: false), new GrpcDriver(web: true)];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var driver in Drivers)
        {
            foreach (var row in ManagementCases.All)
            {
                data.Add(driver.Name, row.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ManagementCall_ThroughEachTransport_AnswersTheSameCodeAndViolations(string transport, string name)
    {
        var driver = Drivers.Single(d => string.Equals(d.Name, transport, StringComparison.Ordinal));
        var row = ManagementCases.All.Single(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        await using var host = await ManagementHost.StartAsync(static b => b.AddCatalog(static c => c.AddMethods(ManagementCases.CatalogMethods)));
        var ids = await ArrangeAsync(host);
        if (row.Arrange is not null)
        {
            await row.Arrange(host, ids);
        }

        var outcome = await driver.RunAsync(host, row.Operation, row.Body is null ? null : ids.Fill(row.Body), row.TargetId is null ? null : ids.Fill(row.TargetId), row.Key, row.KeyId);

        Assert.Equal((int)row.Code, outcome.Code);
        Assert.Equal((row.Fields ?? []).Select(driver.FieldName), outcome.Fields);
        if (row.Then is not null)
        {
            await row.Then(host, ids);
        }
    }

    private static async Task<ArrangedTargets> ArrangeAsync(ManagementHost host)
    {
        var hook = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, Spec("hook"));
        var other = await host.Management.CreateTargetAsync(ManagementHost.HostCaller, Spec("other"));
        await host.Management.SetExecutionAsync(ManagementHost.HostCaller, Condition.RequestService("pkg.v1.Service"), [ExecutionEntry.ForTarget(hook.Target.Id)]);
        return new ArrangedTargets(hook.Target.Id, other.Target.Id);
    }

    private static TargetSpec Spec(string name) => new()
    {
        Name = name,
        Endpoint = "http://127.0.0.1:9/" + name,
        Type = TargetType.Webhook,
        Timeout = TimeSpan.FromSeconds(10),
        InterruptOnError = true,
    };
}
