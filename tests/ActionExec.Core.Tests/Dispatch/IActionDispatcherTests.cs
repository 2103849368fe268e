using System.Text.Json.Nodes;
using ActionExec.Dispatch;
using ActionExec.Errors;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ActionExec.Tests.Dispatch;

/// <summary>A host service that calls the dispatcher is unit-tested with a substitute, without a container or a target.</summary>
public sealed class IActionDispatcherTests
{
    private const string SignUp = "/shop.v1.Users/SignUp";

    [Fact]
    public async Task RunRequestAsync_SubstituteReplacesTheRequest_HostServiceSeesTheReplacement()
    {
        var dispatcher = Substitute.For<IActionDispatcher>();
        dispatcher.RunRequestAsync(Arg.Any<FlowContext>(), SignUp, Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>())
            .Returns(FlowMessage.FromNode(new JsonObject { ["username"] = "from-target" }));
        var service = new SignUpService(dispatcher);

        var name = await service.SignUpAsync("tenant-1", "original");

        Assert.Equal("from-target", name);
        await dispatcher.Received(1).RunRequestAsync(
            Arg.Is<FlowContext>(c => c.TenantId == "tenant-1"),
            SignUp,
            Arg.Is<FlowMessage>(m => !m.IsReplaced && (string?)m.ToNode()!["username"] == "original"),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RunRequestAsync_SubstituteHandsTheRequestBack_HostServiceKeepsItsOwnInstance()
    {
        var dispatcher = Substitute.For<IActionDispatcher>();
        dispatcher.RunRequestAsync(Arg.Any<FlowContext>(), Arg.Any<string>(), Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>())
            .Returns(call => call.ArgAt<FlowMessage>(2));
        var request = new JsonObject { ["username"] = "original" };

        var result = await dispatcher.RunRequestAsync(new FlowContext("tenant-1"), SignUp, request);

        Assert.Same(request, result);
    }

    [Fact]
    public async Task RunRequestAsyncTyped_SubstituteAnswersWithAMessageOfItsOwn_HostSeesItAsItsType()
    {
        var dispatcher = Substitute.For<IActionDispatcher>();
        dispatcher.RunRequestAsync(Arg.Any<FlowContext>(), SignUp, Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>())
            .Returns(FlowMessage.FromNode(new JsonObject { ["username"] = "from-target" }));
        var typeInfo = FlowMessageTests.FlowMessageJson.Default.SignUp;

        var result = await dispatcher.RunRequestAsync(new FlowContext("tenant-1"), SignUp, new FlowMessageTests.SignUp { Username = "original" }, typeInfo);

        Assert.Equal("from-target", result!.Username);
    }

    [Fact]
    public async Task RunRequestAsyncTyped_SubstituteToldNothing_HostKeepsItsOwnInstance()
    {
        var dispatcher = Substitute.For<IActionDispatcher>();
        var request = new FlowMessageTests.SignUp { Username = "original" };

        var result = await dispatcher.RunRequestAsync(new FlowContext("tenant-1"), SignUp, request, FlowMessageTests.FlowMessageJson.Default.SignUp);

        Assert.Same(request, result);
    }

    [Fact]
    public async Task RunRequestAsync_SubstituteInterrupts_HostServiceMapsTheCode()
    {
        var dispatcher = Substitute.For<IActionDispatcher>();
        dispatcher.RunRequestAsync(Arg.Any<FlowContext>(), Arg.Any<string>(), Arg.Any<FlowMessage>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new ActionExecException(ActionExecErrorCode.PermissionDenied, "the user may not sign up here"));
        var service = new SignUpService(dispatcher);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => service.SignUpAsync("tenant-1", "original"));

        Assert.Equal(ActionExecErrorCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task PublishEventAsync_Substitute_RecordsTheEvent()
    {
        var dispatcher = Substitute.For<IActionDispatcher>();
        var service = new SignUpService(dispatcher);

        await service.SignUpAsync("tenant-1", "original");

        await dispatcher.Received(1).PublishEventAsync(
            Arg.Is<FlowContext>(c => c.TenantId == "tenant-1"),
            Arg.Is<ActionEvent>(e => e.EventType == "user.human.added" && e.AggregateId == "original"),
            Arg.Any<CancellationToken>());
    }

    /// <summary>What a host writes: the request flow before its handler, an event after its write.</summary>
    private sealed class SignUpService(IActionDispatcher dispatcher)
    {
        public async Task<string?> SignUpAsync(string tenantId, string username)
        {
            var context = new FlowContext(tenantId);
            var request = await dispatcher.RunRequestAsync(context, SignUp, new JsonObject { ["username"] = username });
            await dispatcher.PublishEventAsync(context, new ActionEvent
            {
                AggregateId = username,
                AggregateType = "user",
                EventType = "user.human.added",
                Sequence = 1,
                CreatedAt = DateTimeOffset.UnixEpoch,
            });
            return (string?)request?["username"];
        }
    }
}
