using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.Catalog;
using ActionExec.Conditions;
using ActionExec.Diagnostics;
using ActionExec.Dispatch;
using ActionExec.Executions;
using ActionExec.Management;
using ActionExec.Targets;
using ActionExec.Tests.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActionExec.Tests.Dispatch;

/// <summary>
/// A host that misuses the dispatcher hears about it: a malformed name throws, naming the parameter and the expected form; a
/// well-formed name the catalog does not know is logged once and counted; a delivery queued with no worker running is logged once.
/// </summary>
public sealed class ActionDispatcherMisuseTests
{
    private const string Tenant = "tenant";
    private const string Method = "/pkg.v1.Service/Method";
    private const int UnknownNameEvent = 3003;
    private const int UnknownNamesFullEvent = 3004;
    private const int NoWorkerEvent = 4012;

    private static readonly FlowContext Context = new(Tenant);

    [Theory]
    [InlineData("Greet")]
    [InlineData("")]
    [InlineData("/a/")]
    [InlineData("a b")]
    [InlineData("/a/b/c")]
    [InlineData("//Method")]
    public async Task RunRequestAndRunResponse_MalformedMethod_ThrowArgumentExceptionNamingFullMethodAndTheExpectedForm(string method)
    {
        await using var provider = Build();
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();

        var request = Assert.Throws<ArgumentException>(() => dispatcher.RunRequestAsync(Context, method, new JsonObject()));
        var response = Assert.Throws<ArgumentException>(() => dispatcher.RunResponseAsync(Context, method, default, default));

        foreach (var error in new[] { request, response })
        {
            Assert.IsType<ArgumentException>(error);
            Assert.Equal("fullMethod", error.ParamName);
            Assert.Contains("'/pkg.v1.Service/Method'", error.Message, StringComparison.Ordinal);
            if (method.Length > 0)
            {
                Assert.Contains($"'{method}'", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("tab\tbed")]
    [InlineData("bell\u0007")]
    public async Task RunFunctionAsync_MalformedName_ThrowsNamingFunction(string function)
    {
        await using var provider = Build();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IActionDispatcher>().RunFunctionAsync(Context, function));

        Assert.Equal("function", error.ParamName);
        Assert.Contains("'preuserinfo'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user..added")]
    [InlineData("user.human.*")]
    [InlineData(".user")]
    [InlineData("user human")]
    public async Task PublishEventAsync_MalformedEventType_ThrowsNamingActionEventAndItsEventType(string eventType)
    {
        await using var provider = Build();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IActionDispatcher>().PublishEventAsync(Context, Event(eventType)));

        Assert.Equal("actionEvent", error.ParamName);
        Assert.StartsWith("actionEvent.EventType ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'user.human.added'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunRequestAsync_LongMalformedMethod_QuotesItShortened()
    {
        await using var provider = Build();
        var method = new string('x', 5000);

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IActionDispatcher>().RunRequestAsync(Context, method, new JsonObject()));

        Assert.Equal("fullMethod", error.ParamName);
        Assert.True(error.Message.Length < 1000, error.Message);
    }

    [Theory]
    [InlineData("pkg.v1.Service/Method")]
    [InlineData("/pkg.v1.Service/Method")]
    public async Task RunRequestAsync_WellFormedMethodWithOrWithoutItsSlash_RunsAsANoOp(string method)
    {
        await using var provider = Build();
        var request = new JsonObject();

        Assert.Same(request, await provider.GetRequiredService<IActionDispatcher>().RunRequestAsync(Context, method, request));
    }

    [Fact]
    public async Task EveryFlow_NullName_NamesTheFlowsParameter()
    {
        await using var provider = Build();
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();

        Assert.Equal("fullMethod", Assert.Throws<ArgumentNullException>(() => dispatcher.RunRequestAsync(Context, null!, new JsonObject())).ParamName);
        Assert.Equal("fullMethod", Assert.Throws<ArgumentNullException>(() => dispatcher.RunResponseAsync(Context, null!, default(JsonElement), default(JsonElement))).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => dispatcher.RunFunctionAsync(Context, null!)).ParamName);
        Assert.Equal("actionEvent", Assert.Throws<ArgumentNullException>(() => dispatcher.PublishEventAsync(Context, Event(null!))).ParamName);
    }

    [Fact]
    public async Task RunRequestAsync_NameMissingFromARestrictedCatalog_WarnsOncePerNameAndCountsEveryCall()
    {
        await using var provider = Build(c => c.AddMethods(Method).AddEvents("user.human.added").AddFunctions("preuserinfo"));
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();
        using var counted = new UnknownNameCounter(provider);

        await dispatcher.RunRequestAsync(Context, "/pkg.v1.Service/Methd", new JsonObject());
        await dispatcher.RunRequestAsync(Context, "/pkg.v1.Service/Methd", new JsonObject());
        await dispatcher.RunResponseAsync(Context, "/pkg.v1.Service/Other", default(JsonNode), default(JsonNode));
        await dispatcher.RunFunctionAsync(Context, "preuserinf");
        await dispatcher.PublishEventAsync(Context, Event("user.human.addd"));
        await dispatcher.RunRequestAsync(Context, Method, new JsonObject());
        await dispatcher.RunRequestAsync(Context, "pkg.v1.Service/Method", new JsonObject());
        await dispatcher.PublishEventAsync(Context, Event("user.human.added"));
        await dispatcher.RunFunctionAsync(Context, "preuserinfo");

        var warnings = Logs(provider).WithEventId(UnknownNameEvent);
        Assert.Equal(4, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        string[] names = ["'/pkg.v1.Service/Methd'", "'/pkg.v1.Service/Other'", "'preuserinf'", "'user.human.addd'"];
        Assert.All(names.Zip(warnings), pair => Assert.Contains(pair.First, pair.Second.Message, StringComparison.Ordinal));
        Assert.Equal(["request", "request", "response", "function", "event"], counted.Kinds);
    }

    [Fact]
    public async Task RunRequestAsync_UnrestrictedCatalogSection_NeverWarns()
    {
        await using var provider = Build(c => c.AddEvents("user.human.added"));
        using var counted = new UnknownNameCounter(provider);

        await provider.GetRequiredService<IActionDispatcher>().RunRequestAsync(Context, "/any.v1.Service/Method", new JsonObject());

        Assert.Empty(Logs(provider).WithEventId(UnknownNameEvent));
        Assert.Empty(counted.Kinds);
    }

    [Fact]
    public async Task RunRequestAsync_UnknownNameThatAnAllExecutionMatches_IsNotCheckedAgainstTheCatalog()
    {
        var invoker = new CountingInvoker();
        await using var provider = Build(c => c.AddMethods(Method), invoker);
        await BindAsync(provider, Condition.AllRequests);

        await provider.GetRequiredService<IActionDispatcher>().RunRequestAsync(Context, "/pkg.v1.Service/Unknown", new JsonObject());

        Assert.Equal(1, invoker.Calls);
        Assert.Empty(Logs(provider).WithEventId(UnknownNameEvent));
    }

    [Fact]
    public async Task RunRequestAsync_UnknownNameSeenBefore_AllocatesNothing()
    {
        await using var provider = Build(c => c.AddMethods(Method));
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();
        var request = new JsonObject();
        await dispatcher.RunRequestAsync(Context, "/pkg.v1.Service/Other", request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = dispatcher.RunRequestAsync(Context, "/pkg.v1.Service/Other", request);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task RunFunctionAsync_MoreUnknownNamesThanRemembered_StopsLoggingThemOneByOneAndSaysSo()
    {
        await using var provider = Build(c => c.AddFunctions("preuserinfo"));
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();
        using var counted = new UnknownNameCounter(provider);

        for (var i = 0; i < UnknownNames.Capacity + 10; i++)
        {
            await dispatcher.RunFunctionAsync(Context, $"function{i}");
        }

        await dispatcher.RunFunctionAsync(Context, "function0");

        Assert.Equal(UnknownNames.Capacity, Logs(provider).WithEventId(UnknownNameEvent).Count);
        Assert.Single(Logs(provider).WithEventId(UnknownNamesFullEvent));
        Assert.Equal(UnknownNames.Capacity + 11, counted.Kinds.Count);
    }

    [Fact]
    public async Task PublishEventAsync_ProviderNeverStarted_WarnsOnceHowToStartTheWorker()
    {
        await using var provider = Build();
        await BindAsync(provider, Condition.Event("user.human.added"));
        var dispatcher = provider.GetRequiredService<IActionDispatcher>();

        await dispatcher.PublishEventAsync(Context, Event("user.human.added"));
        await dispatcher.PublishEventAsync(Context, Event("user.human.added"));

        var warning = Assert.Single(Logs(provider).WithEventId(NoWorkerEvent));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("IHostedService", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishEventAsync_WorkerStarted_DoesNotWarn()
    {
        var invoker = new CountingInvoker();
        await using var provider = Build(invoker: invoker);
        await BindAsync(provider, Condition.Event("user.human.added"));
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            await provider.GetRequiredService<IActionDispatcher>().PublishEventAsync(Context, Event("user.human.added"));
        }
        finally
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }
        }

        Assert.Empty(Logs(provider).WithEventId(NoWorkerEvent));
    }

    private static ActionEvent Event(string eventType) => new()
    {
        EventType = eventType,
        AggregateId = "agg-1",
        AggregateType = "user",
    };

    private static LogSink Logs(IServiceProvider provider) => provider.GetRequiredService<LogSink>();

    private static ServiceProvider Build(Action<ActionCatalogBuilder>? catalog = null, ITargetInvoker? invoker = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new LogSink());
        services.AddSingleton(typeof(ILogger<>), typeof(RecordingLogger<>));
        var builder = services.AddActionExecutions().AddTargetInvoker("inproc", invoker ?? new CountingInvoker());
        if (catalog is not null)
        {
            builder.AddCatalog(catalog);
        }

        return services.BuildServiceProvider();
    }

    private static async Task BindAsync(IServiceProvider provider, Condition condition)
    {
        var management = provider.GetRequiredService<IActionManagement>();
        var admin = ManagementCaller.ForHost(Tenant);
        var created = await management.CreateTargetAsync(admin, new TargetSpec
        {
            Name = "hook",
            Endpoint = "inproc://hooks/hook",
            Type = TargetType.Webhook,
            Timeout = TimeSpan.FromSeconds(10),
        });
        await management.SetExecutionAsync(admin, condition, [ExecutionEntry.ForTarget(created.Target.Id)]);
    }

    private sealed class CountingInvoker : ITargetInvoker
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(TargetResponse.Ok());
        }
    }

    /// <summary>Hears <c>actionexec.dispatch.unknown_names</c> of one provider's meter and keeps each call's kind.</summary>
    private sealed class UnknownNameCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _kinds = new();

        public UnknownNameCounter(IServiceProvider provider)
        {
            var meter = provider.GetRequiredService<ActionExecTelemetry>().Meter;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == meter && string.Equals(instrument.Name, "actionexec.dispatch.unknown_names", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (string.Equals(tag.Key, "actionexec.kind", StringComparison.Ordinal))
                    {
                        for (var i = 0; i < value; i++)
                        {
                            _kinds.Enqueue((string)tag.Value!);
                        }
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Kinds => [.. _kinds];

        public void Dispose() => _listener.Dispose();
    }
}
