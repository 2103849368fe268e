using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Zitadel.Action.V2Beta;
using V3 = Zitadel.Resources.Action.V3Alpha;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>
/// The package's messages byte for byte against hand-encoded protobuf, with the field numbers of ZITADEL's own files: a client
/// generated from those files writes and reads exactly these bytes. Tags are (field number &lt;&lt; 3) | wire type, wire type 2 for
/// strings and messages, 0 for varints.
/// </summary>
public sealed class ProtoWireTests
{
    [Fact]
    public void SetExecutionRequestV2Beta_TargetAndInclude_HasZitadelsFieldNumbers()
    {
        // zitadel/action/v2beta/action_service.proto: SetExecutionRequest { Condition condition = 1; repeated ExecutionTargetType targets = 2; }
        // zitadel/action/v2beta/execution.proto: Condition { RequestExecution request = 1; … }, RequestExecution { string method = 1; string service = 2; bool all = 3; },
        // ExecutionTargetType { oneof type { string target = 1; Condition include = 2; } }
        var message = new SetExecutionRequest
        {
            Condition = new Condition { Request = new RequestExecution { Method = "/a.B/C" } },
            Targets =
            {
                new ExecutionTargetType { Target = "t" },
                new ExecutionTargetType { Include = new Condition { Request = new RequestExecution { Service = "a.B" } } },
            },
        };

        byte[] expected =
        [
            0x0A, 0x0A, 0x0A, 0x08, 0x0A, 0x06, .. "/a.B/C"u8,
            0x12, 0x03, 0x0A, 0x01, (byte)'t',
            0x12, 0x09, 0x12, 0x07, 0x0A, 0x05, 0x12, 0x03, .. "a.B"u8,
        ];
        Assert.Equal(expected, message.ToByteArray());
        Assert.Equal(message, SetExecutionRequest.Parser.ParseFrom(expected));
    }

    [Fact]
    public void ConditionV2Beta_EveryKindAndScope_HasZitadelsFieldNumbers()
    {
        // Condition { request = 1; response = 2; function = 3; event = 4; }; ResponseExecution { method = 1; service = 2; all = 3; };
        // FunctionExecution { string name = 1; }; EventExecution { string event = 1; string group = 2; bool all = 3; }
        Assert.Equal([0x12, 0x02, 0x18, 0x01], new Condition { Response = new ResponseExecution { All = true } }.ToByteArray());
        Assert.Equal([0x1A, 0x03, 0x0A, 0x01, (byte)'f'], new Condition { Function = new FunctionExecution { Name = "f" } }.ToByteArray());
        Assert.Equal([0x22, 0x03, 0x12, 0x01, (byte)'g'], new Condition { Event = new EventExecution { Group = "g" } }.ToByteArray());
        Assert.Equal([0x22, 0x03, 0x0A, 0x01, (byte)'e'], new Condition { Event = new EventExecution { Event = "e" } }.ToByteArray());
    }

    [Fact]
    public void TargetV2Beta_CallTarget_HasZitadelsFieldNumbers()
    {
        // zitadel/action/v2beta/target.proto: Target { id = 1; creation_date = 2; change_date = 3; name = 4; rest_webhook = 5; rest_call = 6;
        // rest_async = 7; google.protobuf.Duration timeout = 8; endpoint = 9; signing_key = 10; }, RESTCall { bool interrupt_on_error = 1; }
        var target = new Target
        {
            Id = "x",
            CreationDate = new Timestamp { Seconds = 1 },
            Name = "n",
            RestCall = new RESTCall { InterruptOnError = true },
            Timeout = new Duration { Seconds = 10 },
            Endpoint = "e",
        };

        byte[] expected =
        [
            0x0A, 0x01, (byte)'x',
            0x12, 0x02, 0x08, 0x01,
            0x22, 0x01, (byte)'n',
            0x32, 0x02, 0x08, 0x01,
            0x42, 0x02, 0x08, 0x0A,
            0x4A, 0x01, (byte)'e',
        ];
        Assert.Equal(expected, target.ToByteArray());
    }

    [Fact]
    public void TargetRequestsV2Beta_CreateAndUpdate_HaveZitadelsFieldNumbers()
    {
        // CreateTargetRequest { name = 1; rest_webhook = 2; rest_call = 3; rest_async = 4; timeout = 5; endpoint = 6; }
        Assert.Equal(
            [0x0A, 0x01, (byte)'n', 0x22, 0x00, 0x2A, 0x02, 0x08, 0x05, 0x32, 0x01, (byte)'e'],
            new CreateTargetRequest { Name = "n", RestAsync = new RESTAsync(), Timeout = new Duration { Seconds = 5 }, Endpoint = "e" }.ToByteArray());

        // UpdateTargetRequest { id = 1; optional name = 2; rest_webhook = 3; rest_call = 4; rest_async = 5; optional timeout = 6;
        // optional endpoint = 7; optional expiration_signing_key = 8; }; a present optional string is written even when empty.
        Assert.Equal(
            [0x0A, 0x01, (byte)'i', 0x12, 0x00, 0x1A, 0x02, 0x08, 0x01, 0x3A, 0x01, (byte)'e', 0x42, 0x00],
            new UpdateTargetRequest { Id = "i", Name = "", RestWebhook = new RESTWebhook { InterruptOnError = true }, Endpoint = "e", ExpirationSigningKey = new Duration() }.ToByteArray());

        // UpdateTargetResponse { change_date = 1; optional signing_key = 2; }; DeleteTargetResponse { deletion_date = 3; }
        Assert.Equal([0x0A, 0x02, 0x08, 0x01, 0x12, 0x01, (byte)'k'], new UpdateTargetResponse { ChangeDate = new Timestamp { Seconds = 1 }, SigningKey = "k" }.ToByteArray());
        Assert.Equal([0x1A, 0x02, 0x08, 0x01], new DeleteTargetResponse { DeletionDate = new Timestamp { Seconds = 1 } }.ToByteArray());
    }

    [Fact]
    public void SetExecutionV3Alpha_RequestAndResponse_HaveZitadelsFieldNumbers()
    {
        // zitadel/resources/action/v3alpha/action_service.proto: SetExecutionRequest { optional Instance instance = 1;
        // oneof id { Condition condition = 2; string condition_string = 3; } Execution execution = 4; };
        // execution.proto: Execution { repeated ExecutionTargetType targets = 2; }; zitadel/object/v3alpha/object.proto: Instance { id = 1; domain = 2; }
        var request = new V3.SetExecutionRequest
        {
            Instance = new Zitadel.Object.V3Alpha.Instance { Id = "i" },
            ConditionString = "request",
            Execution = new V3.Execution { Targets = { new V3.ExecutionTargetType { Target = "t" } } },
        };
        Assert.Equal(
            [0x0A, 0x03, 0x0A, 0x01, (byte)'i', 0x1A, 0x07, .. "request"u8, 0x22, 0x05, 0x12, 0x03, 0x0A, 0x01, (byte)'t'],
            request.ToByteArray());

        // SetExecutionResponse { zitadel.settings.object.v3alpha.Details details = 1; }; Details { uint64 sequence = 1; change_date = 2; Owner owner = 3; };
        // Owner { OwnerType type = 1; string id = 2; }, OWNER_TYPE_INSTANCE = 2
        var response = new V3.SetExecutionResponse
        {
            Details = new Zitadel.Settings.Object.V3Alpha.Details
            {
                Sequence = 2,
                Owner = new Zitadel.Object.V3Alpha.Owner { Type = Zitadel.Object.V3Alpha.OwnerType.Instance, Id = "i" },
            },
        };
        Assert.Equal([0x0A, 0x09, 0x08, 0x02, 0x1A, 0x05, 0x08, 0x02, 0x12, 0x01, (byte)'i'], response.ToByteArray());
    }

    [Fact]
    public void ListDetailsV2Beta_TotalAndLimit_HaveZitadelsFieldNumbers()
    {
        // zitadel/pagination/v2beta/pagination.proto: ListDetails { uint64 total_result = 1; uint64 applied_limit = 2; };
        // ListTargetsResponse { ListDetails details = 1; repeated Target result = 2; }
        var response = new ListTargetsResponse { Details = new Zitadel.Pagination.V2Beta.ListDetails { TotalResult = 3, AppliedLimit = 4 } };
        response.Result.Add(new Target { Id = "x" });
        Assert.Equal([0x0A, 0x04, 0x08, 0x03, 0x10, 0x04, 0x12, 0x03, 0x0A, 0x01, (byte)'x'], response.ToByteArray());
    }
}
