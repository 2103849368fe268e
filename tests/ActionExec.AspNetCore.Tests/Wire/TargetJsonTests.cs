using ActionExec.AspNetCore.Wire;
using ActionExec.Targets;
using static ActionExec.Tests.Support.JsonAssert;

namespace ActionExec.AspNetCore.Tests.Wire;

public sealed class TargetJsonTests
{
    private static readonly DateTimeOffset Created = new(2024, 12, 18, 7, 50, 47, 492, TimeSpan.Zero);

    private static Target Target(TargetType type, bool interruptOnError = false) => new()
    {
        Id = "t1",
        Name = "hook",
        Endpoint = "https://example.com/hook",
        Type = type,
        Timeout = TimeSpan.FromMilliseconds(1500),
        InterruptOnError = interruptOnError,
        SignatureScheme = SignatureScheme.StandardWebhooks,
        CreationDate = Created,
        ChangeDate = Created.AddSeconds(1),
        Sequence = 4,
    };

    [Theory]
    [InlineData(TargetType.Webhook, true, "\"restWebhook\":{\"interruptOnError\":true}")]
    [InlineData(TargetType.Call, false, "\"restCall\":{\"interruptOnError\":false}")]
    [InlineData(TargetType.Async, false, "\"restAsync\":{}")]
    public void WriteTarget_EachType_WritesItsShapeWithoutSigningKey(TargetType type, bool interruptOnError, string typeJson)
    {
        var json = Text(ActionExecJson.WriteTarget(Target(type, interruptOnError)));

        Assert.Equal(
            """{"id":"t1","name":"hook","endpoint":"https://example.com/hook","timeout":"1.500s",""" + typeJson
            + ""","payloadType":"PAYLOAD_TYPE_JSON","signatureScheme":"standard-webhooks","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:48.492Z"}""",
            json);
        Assert.DoesNotContain("signingKey", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WriteTargetList_Targets_WritesDetailsAsStringsAndNoSigningKey()
    {
        var json = Text(ActionExecJson.WriteTargetList([Target(TargetType.Webhook), Target(TargetType.Async) with { Id = "t2" }], totalResult: 2, appliedLimit: 100));

        Assert.StartsWith("""{"details":{"totalResult":"2","appliedLimit":"100"},"result":[{"id":"t1",""", json, StringComparison.Ordinal);
        Assert.Contains("""},{"id":"t2",""", json, StringComparison.Ordinal);
        Assert.DoesNotContain("signingKey", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WriteTargetList_Empty_WritesAnEmptyResult()
    {
        Assert.Equal("""{"details":{"totalResult":"0","appliedLimit":"100"},"result":[]}""", Text(ActionExecJson.WriteTargetList([], 0, 100)));
    }

    [Fact]
    public void WriteCreateTargetResponse_Target_WritesIdDateAndKey()
    {
        var json = Text(ActionExecJson.WriteCreateTargetResponse(Target(TargetType.Call), "whsec_a+b/c="));

        Assert.Equal("""{"id":"t1","creationDate":"2024-12-18T07:50:47.492Z","signingKey":"whsec_a+b/c="}""", json);
    }

    [Fact]
    public void WriteTargetResponse_Target_WrapsItWithoutSigningKey()
    {
        var json = Text(ActionExecJson.WriteTargetResponse(Target(TargetType.Webhook, interruptOnError: true)));

        Assert.Equal(
            """{"target":{"id":"t1","name":"hook","endpoint":"https://example.com/hook","timeout":"1.500s","restWebhook":{"interruptOnError":true},"payloadType":"PAYLOAD_TYPE_JSON","signatureScheme":"standard-webhooks","creationDate":"2024-12-18T07:50:47.492Z","changeDate":"2024-12-18T07:50:48.492Z"}}""",
            json);
    }

    [Fact]
    public void WriteSigningKeyResponse_Target_WritesKeyAndChangeDate()
    {
        var json = Text(ActionExecJson.WriteSigningKeyResponse(Target(TargetType.Call), "whsec_a+b/c="));

        Assert.Equal("""{"signingKey":"whsec_a+b/c=","changeDate":"2024-12-18T07:50:48.492Z"}""", json);
    }

    [Fact]
    public void WriteSigningKeyResponse_EmptyKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => ActionExecJson.WriteSigningKeyResponse(Target(TargetType.Call), ""));
    }

    [Fact]
    public void WriteDeleteTargetResponse_Date_WritesDeletionDate()
    {
        var json = Text(ActionExecJson.WriteDeleteTargetResponse(new DateTimeOffset(2024, 12, 18, 8, 50, 47, 492, TimeSpan.FromHours(1))));

        Assert.Equal("""{"deletionDate":"2024-12-18T07:50:47.492Z"}""", json);
    }

    [Fact]
    public void WriteTarget_ReadBack_RoundTrips()
    {
        var bytes = ActionExecJson.WriteTarget(Target(TargetType.Webhook, interruptOnError: true));

        var target = ActionExecJson.Read(bytes, ActionExecJsonContext.Default.TargetJson);

        Assert.Equal(Text(bytes), Text(ActionExecJson.Write(target, ActionExecJsonContext.Default.TargetJson)));
    }
}
