using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActionExec.Grpc.Tests.Protos;

namespace ActionExec.Grpc.Tests.Interception;

public sealed class ProtoJsonFormatTests
{
    [Fact]
    public void Write_Message_ProtoJsonWithLowerCamelCaseNamesAndNoDefaults()
    {
        var message = new SayRequest { Name = "Ann", UserId = "u1" };

        // The formatter's own spacing is kept; only the JSON is pinned.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"Ann","userId":"u1"}"""), JsonNode.Parse(Write(message))), Write(message));
    }

    [Fact]
    public void TryRead_ProtoNamesOrJsonNames_BothRead()
    {
        var format = ProtoJsonFormat.Of<SayRequest>(new SayRequest());

        Assert.True(format.TryRead("""{"user_id":"a","times":2}"""u8.ToArray(), out var snake, out _));
        Assert.True(format.TryRead("""{"userId":"a","times":"2"}"""u8.ToArray(), out var camel, out _));

        Assert.Equal(new SayRequest { UserId = "a", Times = 2 }, snake);
        Assert.Equal(snake, camel);
    }

    [Theory]
    [InlineData("""{"nickname":"A"}""")]
    [InlineData("""{"name":{"first":"A"}}""")]
    [InlineData("""{"times":1.5}""")]
    [InlineData("\"Ann\"")]
    [InlineData("null")]
    public void TryRead_AnswerThatDoesNotFit_FalseNamingTheMessageType(string json)
    {
        var format = ProtoJsonFormat.Of<SayRequest>(new SayRequest());

        Assert.False(format.TryRead(Encoding.UTF8.GetBytes(json), out var message, out var reason));

        Assert.Null(message);
        Assert.StartsWith("its answer does not fit actionexec.test.v1.SayRequest: ", reason, StringComparison.Ordinal);
    }

    private static string Write(SayRequest message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ProtoJsonFormat.Of<SayRequest>(message).Write(writer, message);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
