using System.Text.Json.Nodes;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddActionExecutions(builder.Configuration.GetSection("ActionExec"))   // engine, management, dispatch, delivery
    .AddCatalog(c => c.AddMethods("/demo.v1.GreeterService/SayHello"));
using var host = builder.Build();
await host.StartAsync();                                                              // starts background delivery

// Once, from your admin code or through the management API: a target, and the execution that runs it.
var manage = host.Services.GetRequiredService<IActionManagement>();
var caller = ManagementCaller.ForHost("my-tenant");
var hook = await manage.CreateTargetAsync(caller, new TargetSpec
{
    Name = "audit",
    Endpoint = "https://hooks.example.com/audit",
    Type = TargetType.Call,
    Timeout = TimeSpan.FromSeconds(5),
    InterruptOnError = true,
});
await manage.SetExecutionAsync(caller, Condition.RequestService("demo.v1.GreeterService"), [ExecutionEntry.ForTarget(hook.Target.Id)]);
// hook.SigningKey is returned only now (and by key rotation): give it to the receiver, which verifies every request with it.

// On every call of your method: the request flow. The call target's JSON answer replaces the request.
var dispatcher = host.Services.GetRequiredService<IActionDispatcher>();
var request = new JsonObject { ["name"] = "Ada" };
var final = await dispatcher.RunRequestAsync(new FlowContext("my-tenant"), "/demo.v1.GreeterService/SayHello", request);
Console.WriteLine(final?.ToJsonString());

await host.StopAsync();
