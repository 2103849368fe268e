using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ActionExec.Conditions;
using ActionExec.Dispatch;
using ActionExec.Errors;
using ActionExec.Targets;
using ActionExec.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ActionExec.Tests.Dispatch;

public sealed partial class FlowMessageTests
{
    private const string Method = "/shop.v1.Users/SignUp";

    [Fact]
    public void Default_IsJsonNull()
    {
        var message = default(FlowMessage);

        Assert.True(message.IsNull);
        Assert.False(message.IsReplaced);
        Assert.Null(message.ToNode());
        Assert.Equal("null", Encoding.UTF8.GetString(message.ToUtf8().Span));
        Assert.Equal(JsonValueKind.Null, message.ToElement().ValueKind);
    }

    [Fact]
    public void FromNode_NotReplaced_HandsBackTheSameInstance()
    {
        var node = new JsonObject { ["username"] = "ann" };

        var message = FlowMessage.FromNode(node);

        Assert.Same(node, message.ToNode());
        Assert.Equal("""{"username":"ann"}""", Encoding.UTF8.GetString(message.ToUtf8().Span));
    }

    [Fact]
    public void FromElement_NotReplaced_HandsBackTheSameElement()
    {
        using var document = JsonDocument.Parse("""{"username":"ann"}""");

        var message = FlowMessage.FromElement(document.RootElement);

        Assert.True(JsonElement.DeepEquals(document.RootElement, message.ToElement()));
        Assert.Equal("ann", (string?)message.ToNode()!["username"]);
    }

    [Fact]
    public void FromUtf8_HandsBackTheSameBytes()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"username":"ann"}""");

        var message = FlowMessage.FromUtf8(bytes);

        Assert.True(message.ToUtf8().Span == bytes.AsSpan());
        Assert.Equal("ann", message.ToValue(FlowMessageJson.Default.SignUp)!.Username);
    }

    [Fact]
    public void FromValue_IsSerialisedOnlyWhenRead()
    {
        var value = new SignUp { Username = "ann" };

        var message = FlowMessage.FromValue(value, FlowMessageJson.Default.SignUp);

        Assert.Equal(0, value.Reads);
        Assert.Same(value, message.ToValue(FlowMessageJson.Default.SignUp));
        Assert.Equal(0, value.Reads);
        Assert.Equal("""{"username":"ann"}""", Encoding.UTF8.GetString(message.ToUtf8().Span));
        Assert.Equal(1, value.Reads);
    }

    [Fact]
    public void ToValue_ReplacedByAnAnswerThatDoesNotFit_ThrowsFailedPrecondition()
    {
        var message = FlowMessage.Replaced("""{"username":42}"""u8.ToArray());

        var error = Assert.Throws<ActionExecException>(() => message.ToValue(FlowMessageJson.Default.SignUp));

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.True(message.IsReplaced);
    }

    [Fact]
    public async Task RunRequestAsync_TypedMessageMatchingNothing_IsNeverSerialised()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var request = new SignUp { Username = "ann" };

        var result = await h.Dispatcher.RunRequestAsync(h.Context, Method, request, FlowMessageJson.Default.SignUp);

        Assert.Same(request, result);
        Assert.Equal(0, request.Reads);
    }

    [Fact]
    public async Task RunRequestAsync_TypedMessageReplacedByACallTarget_ReturnsTheAnswerAsT()
    {
        var invoker = new AnsweringInvoker("""{"username":"from-target"}""");
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", invoker));
        var target = await h.CreateTargetAsync("rename", TargetType.Call, endpoint: "inproc://rename");
        await h.SetAsync(Condition.RequestMethod(Method), target);
        var request = new SignUp { Username = "ann" };

        var result = await h.Dispatcher.RunRequestAsync(h.Context, Method, request, FlowMessageJson.Default.SignUp);

        Assert.NotSame(request, result);
        Assert.Equal("from-target", result!.Username);
        Assert.Contains("\"request\":{\"username\":\"ann\"}", invoker.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunRequestAsync_TypedAnswerThatDoesNotFit_ThrowsFailedPrecondition()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new AnsweringInvoker("""{"username":[1]}""")));
        var target = await h.CreateTargetAsync("rename", TargetType.Call, endpoint: "inproc://rename");
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() => h.Dispatcher.RunRequestAsync(h.Context, Method, new SignUp { Username = "ann" }, FlowMessageJson.Default.SignUp).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
    }

    [Fact]
    public async Task FromMessage_NoExecution_NothingIsWrittenAndTheSameMessageComesBack()
    {
        await using var h = await HttpActionsHarness.StartAsync();
        var format = new NameFormat();
        var request = new Named("ann");

        var result = await h.Dispatcher.RunRequestAsync(h.Context, Method, FlowMessage.FromMessage(request, format));

        Assert.False(result.IsReplaced);
        Assert.Same(request, result.ToMessage());
        Assert.Equal(0, format.Writes);
    }

    [Fact]
    public async Task FromMessage_CallTargetAnswerTheFormatReads_ToMessageIsWhatItRead()
    {
        var invoker = new AnsweringInvoker("""{"name":"from-target"}""");
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", invoker));
        var target = await h.CreateTargetAsync("rename", TargetType.Call, endpoint: "inproc://rename");
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var result = await h.Dispatcher.RunRequestAsync(h.Context, Method, FlowMessage.FromMessage(new Named("ann"), new NameFormat()));

        Assert.True(result.IsReplaced);
        Assert.Equal(new Named("from-target"), result.ToMessage());
        Assert.Equal("""{"name":"from-target"}""", Encoding.UTF8.GetString(result.ToUtf8().Span));
        Assert.Contains("\"request\":{\"name\":\"ann\"}", invoker.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromMessage_InterruptingCallTargetAnswerTheFormatRefuses_FailsThatTargetWithTheFormatsReason()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new AnsweringInvoker("""{"nickname":"A"}""")));
        var target = await h.CreateTargetAsync("rename", TargetType.Call, interrupt: true, endpoint: "inproc://rename");
        await h.SetAsync(Condition.RequestMethod(Method), target);

        var error = await Assert.ThrowsAsync<ActionExecException>(() =>
            h.Dispatcher.RunRequestAsync(h.Context, Method, FlowMessage.FromMessage(new Named("ann"), new NameFormat())).AsTask());

        Assert.Equal(ActionExecErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("target rename failed: its answer has no name", error.Message);
    }

    [Fact]
    public async Task FromMessage_AnswerTheFormatRefusesWithoutInterrupt_TheMessageStaysAsItWas()
    {
        await using var h = await HttpActionsHarness.StartAsync(b => b.AddTargetInvoker("inproc", new AnsweringInvoker("""{"nickname":"A"}""")));
        var target = await h.CreateTargetAsync("rename", TargetType.Call, endpoint: "inproc://rename");
        await h.SetAsync(Condition.RequestMethod(Method), target);
        var request = new Named("ann");

        var result = await h.Dispatcher.RunRequestAsync(h.Context, Method, FlowMessage.FromMessage(request, new NameFormat()));

        Assert.False(result.IsReplaced);
        Assert.Same(request, result.ToMessage());
    }

    [Fact]
    public void ToMessage_WithoutAFormat_IsNull()
    {
        Assert.Null(FlowMessage.FromNode(new JsonObject()).ToMessage());
        Assert.Null(FlowMessage.FromValue(new SignUp(), FlowMessageJson.Default.SignUp).ToMessage());
    }

    public sealed record Named(string Name);

    /// <summary>A format of <see cref="Named"/>: <c>{"name": …}</c>, and nothing else.</summary>
    private sealed class NameFormat : IFlowMessageFormat
    {
        public int Writes { get; private set; }

        public void Write(Utf8JsonWriter writer, object message)
        {
            Writes++;
            writer.WriteStartObject();
            writer.WriteString("name", ((Named)message).Name);
            writer.WriteEndObject();
        }

        public bool TryRead(ReadOnlyMemory<byte> utf8Json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? message, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
        {
            using var document = JsonDocument.Parse(utf8Json);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                message = new Named(name.GetString()!);
                reason = null;
                return true;
            }

            message = null;
            reason = "its answer has no name";
            return false;
        }
    }

    public sealed class SignUp
    {
        private string? _username;

        [JsonIgnore]
        public int Reads { get; private set; }

        [JsonPropertyName("username")]
        public string? Username
        {
            get
            {
                Reads++;
                return _username;
            }

            set => _username = value;
        }
    }

    [JsonSerializable(typeof(SignUp))]
    internal sealed partial class FlowMessageJson : JsonSerializerContext;

    private sealed class AnsweringInvoker(string answer) : ITargetInvoker
    {
        public string Payload { get; private set; } = "";

        public ValueTask<TargetResponse> InvokeAsync(TargetRequest request, CancellationToken cancellationToken)
        {
            Payload = Encoding.UTF8.GetString(request.Payload.Span);
            return ValueTask.FromResult(TargetResponse.Ok(Encoding.UTF8.GetBytes(answer)));
        }
    }
}
