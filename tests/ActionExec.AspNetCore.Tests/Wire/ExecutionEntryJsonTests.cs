using ActionExec.Conditions;
using ActionExec.Executions;
using ActionExec.AspNetCore.Wire;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class ExecutionEntryJsonTests
{
    private const string Body = """{"condition":{"request":{"all":true}},"targets":""";

    [Theory]
    [InlineData("\"t1\"")]
    [InlineData("""{"target":"t1"}""")]
    [InlineData("""{"target":"t1","include":null}""")]
    public void Read_TargetEitherForm_IsATargetWrittenInObjectForm(string json)
    {
        var entry = ActionExecJson.Read(Utf8(json), ActionExecJsonContext.Default.ExecutionEntryJson);

        Assert.Equal("t1", entry.Target);
        Assert.Null(entry.Include);
        Assert.Equal("""{"target":"t1"}""", Text(ActionExecJson.Write(entry, ActionExecJsonContext.Default.ExecutionEntryJson)));
    }

    [Fact]
    public void Read_Include_RoundTrips()
    {
        const string json = """{"include":{"request":{"service":"pkg.v1.Service"}}}""";

        var entry = ActionExecJson.Read(Utf8(json), ActionExecJsonContext.Default.ExecutionEntryJson);

        Assert.Equal("pkg.v1.Service", entry.Include?.Request?.Service);
        Assert.Equal(json, Text(ActionExecJson.Write(entry, ActionExecJsonContext.Default.ExecutionEntryJson)));
    }

    [Fact]
    public void ReadSetExecutionRequest_BothForms_MapToModelEntriesInOrder()
    {
        var request = ActionExecJson.ReadSetExecutionRequest(Utf8(Body + """["t1",{"target":"t2"},{"include":{"event":{"group":"user.human.*"}}}]}"""));

        Assert.Equal<ExecutionEntry>(
            [ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForTarget("t2"), ExecutionEntry.ForInclude(Condition.EventGroup("user.human"))],
            request.Entries);
    }

    [Theory]
    [InlineData("[5]", "targets[0]", """The entry 5 is neither a target id nor an object; give "<target id>", {"target": "<target id>"} or {"include": <condition>}.""")]
    [InlineData("[\"t1\",[]]", "targets[1]", """The entry (an array) is neither a target id nor an object; give "<target id>", {"target": "<target id>"} or {"include": <condition>}.""")]
    [InlineData("""[{"target":5}]""", "targets[0].target", "The value 5 is not a target id string.")]
    [InlineData("""[{"target":"t1","name":"x"}]""", "targets[0].name", "The property 'name' is not known here; use 'target' or 'include'.")]
    [InlineData("""["t0",{"include":5}]""", "targets[1].include", "The property 'include' must be a JSON object.")]
    [InlineData("""[{"include":{"request":{"method":"/a/b","x":1}}}]""", "targets[0].include.request.x", "The property 'x' is not known here; use 'method', 'service' or 'all'.")]
    [InlineData("""[{"include":{"request":{"all":"yes"}}}]""", "targets[0].include.request.all", "The property 'all' must be true or false.")]
    public void ReadSetExecutionRequest_MalformedEntry_NamesItsPath(string targets, string field, string description)
    {
        Invalid(() => ActionExecJson.ReadSetExecutionRequest(Utf8(Body + targets + "}")), (field, description));
    }

    [Fact]
    public void WriteExecutionList_Entries_AreWrittenInObjectForm()
    {
        var execution = new Execution(
            Condition.RequestMethod("/pkg.v1.Service/Method"),
            [ExecutionEntry.ForTarget("t1"), ExecutionEntry.ForInclude(Condition.AllEvents)],
            new ExecutionDetails(7, new DateTimeOffset(2024, 6, 25, 13, 35, 39, 391, TimeSpan.Zero), "tenant-1"));

        var json = Text(ActionExecJson.WriteExecutionList([execution], totalResult: 1, appliedLimit: 100));

        Assert.Equal(
            """{"details":{"totalResult":"1","appliedLimit":"100"},"result":[{"condition":{"request":{"method":"/pkg.v1.Service/Method"}},"targets":[{"target":"t1"},{"include":{"event":{"all":true}}}],"details":{"sequence":"7","changeDate":"2024-06-25T13:35:39.391Z","resourceOwner":"tenant-1"}}]}""",
            json);
    }
}
