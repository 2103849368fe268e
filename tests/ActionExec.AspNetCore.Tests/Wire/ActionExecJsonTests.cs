using System.Text.Json;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ActionExecJsonTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    public void Read_EmptyBody_FailsOnTheRoot(string body)
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(Utf8(body)), ("", "The body is empty; send a JSON object."));
    }

    [Fact]
    public void Read_NullBody_FailsOnTheRoot()
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(Utf8("null")), ("", "The body is null; send a JSON object."));
    }

    [Theory]
    [InlineData(new byte[] { 0x5B, 0x22, 0xFF, 0x22, 0x5D })]
    [InlineData(new byte[] { 0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D })]
    public void Read_InvalidUtf8_FailsOnTheRoot(byte[] body)
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(body), ("", "The body is not valid UTF-8; send JSON encoded as UTF-8."));
    }

    [Theory]
    [InlineData("""{"condition":{"function":{"name":"a\uD800"}}}""", "\\uD800", 36)]
    [InlineData("""{"condition":{"function":{"name":"\uDC00\uD800"}}}""", "\\uDC00", 35)]
    [InlineData("""{"condition":{"function":{"name":"\uD83C\u0041"}}}""", "\\uD83C", 35)]
    [InlineData("""{"targets":["\udbff"],"condition":{"event":{"all":true}}}""", "\\udbff", 14)]
    [InlineData("""{"\uDFFF":1}""", "\\uDFFF", 3)]
    public void Read_LoneSurrogateEscape_FailsOnTheRootNamingTheEscapeAndItsByte(string body, string escape, int position)
    {
        Invalid(
            () => ActionExecJson.ReadSetExecutionRequest(Utf8(body)),
            ("", $"The body holds the escape {escape} at byte {position}: half of a UTF-16 surrogate pair without the other half, which is not text; send the character itself, or both halves of its pair (such as \\uD83C\\uDF89)."));
    }

    [Fact]
    public void Read_LoneSurrogateEscapeAfterAByteOrderMark_CountsTheMarksBytes()
    {
        var error = Invalid(
            () => ActionExecJson.ReadSetExecutionRequest([0xEF, 0xBB, 0xBF, .. Utf8("""{"\uD800":1}""")]),
            ("", "The body holds the escape \\uD800 at byte 6: half of a UTF-16 surrogate pair without the other half, which is not text; send the character itself, or both halves of its pair (such as \\uD83C\\uDF89)."));

        Assert.Null(error.InnerException);
    }

    [Theory]
    [InlineData("""{"condition":{"function":{"name":"\uD83C\uDF89"}}}""", "\uD83C\uDF89")]
    [InlineData("""{"condition":{"function":{"name":"\\uD800"}}}""", "\\uD800")]
    [InlineData("""{"condition":{"function":{"name":"\\\uD83C\uDF89"}}}""", "\\\uD83C\uDF89")]
    public void Read_SurrogatePairOrEscapedBackslash_IsText(string body, string name)
    {
        var request = ActionExecJson.ReadSetExecutionRequest(Utf8(body));

        Assert.Equal(Condition.Function(name), request.Condition);
    }

    [Fact]
    public void Read_ByteOrderMark_IsIgnored()
    {
        var request = ActionExecJson.ReadSetExecutionRequest([0xEF, 0xBB, 0xBF, .. Utf8("""{"condition":{"event":{"all":true}}}""")]);

        Assert.Equal(Condition.AllEvents, request.Condition);
    }

    [Theory]
    [InlineData("hello", "", "The body is not valid JSON at line 1, byte 1: 'h' is an invalid start of a value. Send a complete JSON object.")]
    [InlineData("""{"condition":{"request":{"all":true}}} x""", "", "The body is not valid JSON at line 1, byte 40: 'x' is invalid after a single JSON value. Expected end of data. Send a complete JSON object.")]
    [InlineData("""{"condition":{"request":""", "condition.request", "The body is not valid JSON at line 1, byte 25: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. Send a complete JSON object.")]
    [InlineData("""{"condition":{"request":{"all":true}},"targets":["t1",{"include":{"event":""", "targets[1].include", "The body is not valid JSON at line 1, byte 75: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. Send a complete JSON object.")]
    [InlineData("{'condition':{}}", "", "The body is not valid JSON at line 1, byte 2: ''' is an invalid start of a property name. Expected a '\"'. Send a complete JSON object.")]
    public void Read_NotJson_FailsWithThePosition(string body, string field, string description)
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(Utf8(body)), (field, description));
    }

    [Theory]
    [InlineData("""{"condition":{"request":{"all":true}},"foo":1}""", "foo", "The property 'foo' is not known here; use 'condition' or 'targets'.")]
    [InlineData("""{"condition":{"request":{"all":true},"target":{}}}""", "condition.target", "The property 'target' is not known here; use 'request', 'response', 'function' or 'event'.")]
    [InlineData("""{"condition":{"event":{"all":true,"groups":"x"}}}""", "condition.event.groups", "The property 'groups' is not known here; use 'event', 'group' or 'all'.")]
    [InlineData("""{"Condition":{"request":{"all":true}}}""", "Condition", "The property 'Condition' is not known here; use 'condition' or 'targets'.")]
    [InlineData("""{"condition":{"request":{"all":true}},"a.b":1}""", "['a.b']", "The property 'a.b' is not known here; use 'condition' or 'targets'.")]
    [InlineData("""{"targets":[{"include":{"function":{"name":"f","all":true}}}]}""", "targets[0].include.function.all", "The property 'all' is not known here; use 'name'.")]
    [InlineData("""{"targets":[{"target":"t1","target":"t2","x":0}]}""", "targets[0].x", "The property 'x' is not known here; use 'target' or 'include'.")]
    public void Read_UnknownProperty_FailsNamingIt(string body, string field, string description)
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(Utf8(body)), (field, description));
    }

    [Theory]
    [InlineData("""{"condition":{"request":{"all":true}},"targets":{}}""", "targets", "The property 'targets' must be a JSON array.")]
    [InlineData("""{"condition":{"request":{"all":true}},"targets":"t1"}""", "targets", "The property 'targets' must be a JSON array.")]
    [InlineData("""{"condition":"request"}""", "condition", "The property 'condition' must be a JSON object.")]
    [InlineData("""{"condition":{"request":{"method":5}}}""", "condition.request.method", "The property 'method' must be a string.")]
    [InlineData("""{"condition":{"request":{"all":1}}}""", "condition.request.all", "The property 'all' must be true or false.")]
    [InlineData("[]", "", "The body must be a JSON object.")]
    [InlineData("\"condition\"", "", "The body must be a JSON object.")]
    public void Read_WrongJsonType_FailsNamingTheProperty(string body, string field, string description)
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(Utf8(body)), (field, description));
    }

    [Fact]
    public void Read_Failure_KeepsTheSerializerErrorAsInnerException()
    {
        var exception = Assert.Throws<ActionExecException>(() => ActionExecJson.ReadSetExecutionRequest(Utf8("""{"targets":{}}""")));

        Assert.IsAssignableFrom<JsonException>(exception.InnerException);
        Assert.Equal("targets: The property 'targets' must be a JSON array.", exception.Message);
    }

    [Fact]
    public void SetDateResponse_Seed_ReadsAndWritesByteForByte()
    {
        const string seed = """{"setDate": "2024-12-18T07:50:47.492Z"}""";

        var response = ActionExecJson.Read(Utf8(seed), ActionExecJsonContext.Default.SetDateResponseJson);

        Assert.Equal(new DateTimeOffset(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero), response.SetDate);
        Assert.Equal("""{"setDate":"2024-12-18T07:50:47.492Z"}""", Text(ActionExecJson.WriteSetDateResponse(response.SetDate)));
    }

    [Fact]
    public void DetailsResponse_Seed_ReadsAndWritesByteForByte()
    {
        const string seed = """{"details": {"sequence": "2", "changeDate": "2024-06-25T13:35:39.391Z", "resourceOwner": "69629023906488334"}}""";

        var details = ActionExecJson.ReadDetailsResponse(Utf8(seed));

        Assert.Equal(new ExecutionDetails(2, new DateTimeOffset(2024, 6, 25, 13, 35, 39, 391, TimeSpan.Zero), "69629023906488334"), details);
        Assert.Equal(
            """{"details":{"sequence":"2","changeDate":"2024-06-25T13:35:39.391Z","resourceOwner":"69629023906488334"}}""",
            Text(ActionExecJson.WriteDetailsResponse(details)));
    }

    [Fact]
    public void ReadDetailsResponse_SequenceAsNumber_IsAccepted()
    {
        var details = ActionExecJson.ReadDetailsResponse(Utf8("""{"details":{"sequence":18446744073709551615,"changeDate":"2024-06-25T15:35:39.391+02:00","resourceOwner":"t"}}"""));

        Assert.Equal(ulong.MaxValue, details.Sequence);
        Assert.Equal(new DateTimeOffset(2024, 6, 25, 13, 35, 39, 391, TimeSpan.Zero), details.ChangeDate);
        Assert.Equal(TimeSpan.Zero, details.ChangeDate.Offset);
    }

    [Theory]
    [InlineData("""{"details":{"sequence":"-1"}}""")]
    [InlineData("""{"details":{"sequence":"two"}}""")]
    [InlineData("""{"details":{"sequence":true}}""")]
    public void ReadDetailsResponse_InvalidSequence_FailsOnSequence(string body)
    {
        Invalid(
            () => ActionExecJson.ReadDetailsResponse(Utf8(body)),
            ("details.sequence", "The property 'sequence' must be a non-negative integer, written as a string such as \"2\"."));
    }

    [Fact]
    public void ErrorBody_Seed_ReadsAndWritesBack()
    {
        const string seed = """{"code": 0, "message": "string", "details": [{"@type": "string"}]}""";

        var error = ActionExecJson.Read(Utf8(seed), ActionExecJsonContext.Default.ErrorJson);

        Assert.Equal(0, error.Code);
        Assert.Equal("string", error.Message);
        var detail = Assert.Single(error.Details!);
        Assert.Equal("string", detail.Type);
        Assert.Null(detail.FieldViolations);
        Assert.Equal("""{"code":0,"message":"string","details":[{"@type":"string"}]}""", Text(ActionExecJson.Write(error, ActionExecJsonContext.Default.ErrorJson)));
    }

    [Fact]
    public void WriteError_TwoViolations_WritesABadRequestDetail()
    {
        var exception = ActionExecException.InvalidArgument(
        [
            new FieldViolation("condition.request.method", "The method 'x' has no method segment."),
            new FieldViolation("targets[1]", "The target 't1' is listed twice (first at targets[0])."),
        ]);

        var json = Text(ActionExecJson.WriteError(exception));

        Assert.Equal(
            """{"code":3,"message":"The input has 2 problems. condition.request.method: The method 'x' has no method segment. targets[1]: The target 't1' is listed twice (first at targets[0]).","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"condition.request.method","description":"The method 'x' has no method segment."},{"field":"targets[1]","description":"The target 't1' is listed twice (first at targets[0])."}]}]}""",
            json);
    }

    [Fact]
    public void WriteError_MoreThan100Violations_DetailListsTheFirst100()
    {
        var exception = ActionExecException.InvalidArgument([.. Enumerable.Range(0, 250).Select(i => new FieldViolation($"targets[{i}]", "Broken."))]);

        var error = ActionExecJson.Read(ActionExecJson.WriteError(exception), ActionExecJsonContext.Default.ErrorJson);

        Assert.Equal(exception.Message, error.Message);
        Assert.Equal(
            Enumerable.Range(0, 100).Select(i => new FieldViolation($"targets[{i}]", "Broken.")),
            error.Details!.Single().FieldViolations!);
    }

    [Fact]
    public void WriteError_NoViolations_OmitsDetails()
    {
        var exception = new ActionExecException(ActionExecErrorCode.NotFound, "The target \"t9\" does not exist.");

        Assert.Equal("""{"code":5,"message":"The target \"t9\" does not exist."}""", Text(ActionExecJson.WriteError(exception)));
    }

    [Fact]
    public void WriteError_ReadBack_KeepsTheViolations()
    {
        var exception = ActionExecException.InvalidArgument("timeout", "The timeout 0s is not greater than zero.");

        var error = ActionExecJson.Read(ActionExecJson.WriteError(exception), ActionExecJsonContext.Default.ErrorJson);

        Assert.Equal([new FieldViolation("timeout", "The timeout 0s is not greater than zero.")], error.Details!.Single().FieldViolations!);
    }
}
