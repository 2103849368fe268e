using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using ActionExec.Conditions;
using ActionExec.TestConsole;
using ActionExec.Samples.Quickstart;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// ActionExec end to end on the embedded defaults (in-memory store, in-memory delivery queue). The targets are
// real HTTP endpoints served by this process on a loopback port, so every call below goes over the network stack.

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
builder.Services.AddActionExecutions()
    .AddHttpTargets(o => o.AllowLoopback()) // the targets below listen on this machine, which targets may not reach by default
    .AddCatalog(catalog => catalog
        .AddMethods("/demo.v1.GreeterService/SayHello", "/demo.v1.GreeterService/SayGoodbye", "/demo.v1.TokenService/IssueToken")
        .AddEvents("demo.greeting.sent", "demo.token.issued"));

var receiver = new Receiver();
var app = builder.Build();
receiver.Map(app);
await app.StartAsync();
var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

var manage = app.Services.GetRequiredService<IActionManagement>();
var dispatcher = app.Services.GetRequiredService<IActionDispatcher>();
var caller = ManagementCaller.ForHost("demo-tenant");
var context = new FlowContext("demo-tenant") { OrgId = "org-1", UserId = "user-42" };

Heading("1. Targets (the receiver runs at " + baseUrl + ")");
var audit = await CreateAsync("audit", TargetType.Webhook, interrupt: false);
var enrich = await CreateAsync("enrich", TargetType.Call, interrupt: true);
var gatekeeper = await CreateAsync("gatekeeper", TargetType.Webhook, interrupt: true);
var events = await CreateAsync("events", TargetType.Webhook, interrupt: false);
receiver.EventKey = events.SigningKey;

Heading("2. Executions");
var greeter = Condition.RequestService("demo.v1.GreeterService");
await SetAsync(greeter, ExecutionEntry.ForTarget(audit.Target.Id));
await SetAsync(Condition.RequestMethod("/demo.v1.GreeterService/SayHello"), ExecutionEntry.ForTarget(enrich.Target.Id), ExecutionEntry.ForInclude(greeter));
await SetAsync(Condition.AllRequests, ExecutionEntry.ForTarget(gatekeeper.Target.Id));
await SetAsync(Condition.EventGroup("demo.greeting"), ExecutionEntry.ForTarget(events.Target.Id));

Heading("3. Which execution matches, and why");
foreach (var method in new[] { "/demo.v1.GreeterService/SayHello", "/demo.v1.GreeterService/SayGoodbye", "/demo.v1.TokenService/IssueToken" })
{
    var explanation = await manage.ExplainAsync(caller, ConditionKind.Request, method);
    Console.WriteLine($"  {method}");
    Console.WriteLine($"    {explanation.Reason}");
    Console.WriteLine($"    targets in order: {string.Join(" -> ", explanation.Targets.Select(t => t.Name))}");
}

Heading("4. A request flow: a call target rewrites the request");
receiver.Calls.Clear();
var request = JsonNode.Parse("""{"name": "Ada"}""");
var rewritten = await dispatcher.RunRequestAsync(context, "/demo.v1.GreeterService/SayHello", request);
Console.WriteLine($"  targets called: {string.Join(" -> ", receiver.Calls)}");
Console.WriteLine($"  request before: {request!.ToJsonString()}");
Console.WriteLine($"  request after:  {rewritten!.ToJsonString()}");

Heading("5. Another method of the service falls back to the service's execution");
receiver.Calls.Clear();
await dispatcher.RunRequestAsync(context, "/demo.v1.GreeterService/SayGoodbye", JsonNode.Parse("""{"name": "Ada"}"""));
Console.WriteLine($"  targets called: {string.Join(" -> ", receiver.Calls)}");

Heading("6. An interrupting target stops the call, as the host sees it");
try
{
    await dispatcher.RunRequestAsync(context, "/demo.v1.TokenService/IssueToken", JsonNode.Parse("""{"userId": "u1"}"""));
    Console.WriteLine("  unexpected: the call was not stopped");
    return 1;
}
catch (ActionExecException e)
{
    Console.WriteLine($"  stopped: HTTP {e.HttpStatusCode}, code {(int)e.Code} ({e.Code}): {e.Message}");
}

Heading("7. An event, delivered in the background and its signature verified by the receiver");
await dispatcher.PublishEventAsync(context, new ActionEvent
{
    EventType = "demo.greeting.sent",
    AggregateId = "greeting-1",
    AggregateType = "greeting",
    ResourceOwner = "org-1",
    Version = "v1",
    Sequence = 1,
    CreatedAt = DateTimeOffset.UtcNow,
    UserId = "user-42",
    Payload = """{"name": "Ada"}"""u8.ToArray(),
});
Console.WriteLine("  queued; the host's write returned at once");
var verified = await receiver.EventVerified.Task.WaitAsync(TimeSpan.FromSeconds(30));
Console.WriteLine($"  delivered: {verified}");

Heading("8. The test console: a dry run of one target, then of a whole chain");
var console = app.Services.GetRequiredService<IActionTestConsole>();
var before = await StoredStateAsync();
using var grace = JsonDocument.Parse("""{"name": "Grace"}""");
var single = await console.ExecuteAsync(caller, "enrich", new ConsoleRequest { Method = "POST", Body = grace.RootElement });
Console.WriteLine($"  enrich answered {single.StatusCode}: {single.Body.GetRawText()}");
var chain = await console.ExecuteAsync(caller, "request/demo.v1.GreeterService/SayHello", new ConsoleRequest { Method = "POST", Body = grace.RootElement });
foreach (var row in chain.Trace)
{
    Console.WriteLine($"  trace: {row.Name,-8} {row.StatusCode,3} {row.Outcome}");
}

var after = await StoredStateAsync();
Console.WriteLine($"  nothing stored changed: {(string.Equals(before, after, StringComparison.Ordinal) ? "the same" : "different")} targets and executions before and after");

await app.StopAsync();
Console.WriteLine();
Console.WriteLine("Done.");
return 0;

async Task<string> StoredStateAsync()
{
    var targets = await manage.ListTargetsAsync(caller);
    var executions = await manage.ListExecutionsAsync(caller);
    return string.Join(' ', targets.Select(static t => $"{t.Id}@{t.ChangeDate:O}").Concat(executions.Select(static e => $"{e.Id}#{e.Details.Sequence}")));
}

async Task<CreatedTarget> CreateAsync(string name, TargetType type, bool interrupt)
{
    var created = await manage.CreateTargetAsync(caller, new TargetSpec
    {
        Name = name,
        Endpoint = $"{baseUrl}/{name}",
        Type = type,
        Timeout = TimeSpan.FromSeconds(5),
        InterruptOnError = interrupt,
    });
    Console.WriteLine($"  {name,-11} {type,-8} interruptOnError={interrupt,-5} id={created.Target.Id} (signing key returned once)");
    return created;
}

async Task SetAsync(Condition condition, params ExecutionEntry[] entries)
{
    var result = await manage.SetExecutionAsync(caller, condition, entries);
    Console.WriteLine($"  {condition.Id,-42} [{string.Join(", ", entries.Select(Describe))}] sequence {result.Details.Sequence}");

    string Describe(ExecutionEntry entry) => entry.Kind == ExecutionEntryKind.Include
        ? "include " + entry.Include!.Id
        : new[] { audit, enrich, gatekeeper, events }.First(t => string.Equals(t.Target.Id, entry.TargetId, StringComparison.Ordinal)).Target.Name;
}

static void Heading(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
}
