using System.Collections.Immutable;
using System.Text.Json;
using ActionExec.TestConsole;
using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ConsoleResponseJsonTests
{
    [Fact]
    public void WriteConsoleResponse_OneTarget_WritesStatusHeadersAndBodyWithoutTrace()
    {
        var response = new ConsoleResponse
        {
            StatusCode = 201,
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Content-Type"] = "application/json", ["X-Id"] = "ü'<" },
            Body = Element("""{"a":1}"""),
        };

        Assert.Equal(
            """{"statusCode":201,"headers":{"Content-Type":"application/json","X-Id":"ü'<"},"body":{"a":1}}""",
            Text(ActionExecJson.WriteConsoleResponse(response)));
    }

    [Fact]
    public void WriteConsoleResponse_NullOrUndefinedBody_IsWrittenAsNull()
    {
        Assert.Equal("""{"statusCode":204,"headers":{},"body":null}""", Text(ActionExecJson.WriteConsoleResponse(new ConsoleResponse { StatusCode = 204, Body = Element("null") })));
        Assert.Equal("""{"statusCode":204,"headers":{},"body":null}""", Text(ActionExecJson.WriteConsoleResponse(new ConsoleResponse { StatusCode = 204, Body = default })));
    }

    [Fact]
    public void WriteConsoleResponse_Chain_WritesOneTraceRowPerTargetWithoutTheStatusOfASkippedOne()
    {
        var response = new ConsoleResponse
        {
            StatusCode = 404,
            Body = Element("\"no such user\""),
            IsChain = true,
            Trace =
            [
                new ConsoleTraceEntry { Id = "t1", Name = "first", StatusCode = 200, Duration = TimeSpan.FromTicks(12_345_678), Outcome = "success" },
                new ConsoleTraceEntry { Id = "t2", Name = "guard", StatusCode = 404, Duration = TimeSpan.FromMilliseconds(2), Outcome = "status" },
                new ConsoleTraceEntry { Id = "t3", Name = "after", Outcome = "skipped" },
            ],
        };

        Assert.Equal(
            """{"statusCode":404,"headers":{},"body":"no such user","trace":[{"id":"t1","name":"first","statusCode":200,"durationMs":1234.568,"outcome":"success"},{"id":"t2","name":"guard","statusCode":404,"durationMs":2,"outcome":"status"},{"id":"t3","name":"after","durationMs":0,"outcome":"skipped"}]}""",
            Text(ActionExecJson.WriteConsoleResponse(response)));
    }

    [Fact]
    public void WriteConsoleResponse_EmptyChain_WritesAnEmptyTrace()
    {
        var response = new ConsoleResponse { StatusCode = 200, Body = Element("null"), IsChain = true, Trace = ImmutableArray<ConsoleTraceEntry>.Empty };

        Assert.Equal("""{"statusCode":200,"headers":{},"body":null,"trace":[]}""", Text(ActionExecJson.WriteConsoleResponse(response)));
    }

    private static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
