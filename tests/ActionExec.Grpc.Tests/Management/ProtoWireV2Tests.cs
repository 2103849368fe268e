using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Zitadel.Action.V2;
using Zitadel.Filter.V2;

namespace ActionExec.Grpc.Tests.Management;

/// <summary>
/// The <c>zitadel.action.v2</c> messages byte for byte against hand-encoded protobuf, with the field numbers and enum values of
/// ZITADEL's files: <c>proto/zitadel/action/v2/action_service.proto</c> and <c>target.proto</c> at commit <c>08dd4ee</c>,
/// <c>execution.proto</c> at <c>26d63f4</c>, <c>query.proto</c> at <c>89ad958</c>, <c>proto/zitadel/filter/v2/filter.proto</c> at
/// <c>1624d30</c>. Tags are (field number &lt;&lt; 3) | wire type: 2 for strings, bytes and messages, 0 for varints and enums.
/// </summary>
public sealed class ProtoWireV2Tests
{
    [Fact]
    public void SetExecutionRequest_ConditionAndTargetIds_HasZitadelsFieldNumbers()
    {
        // action_service.proto: SetExecutionRequest { Condition condition = 1; repeated string targets = 2; }
        // execution.proto: Condition { RequestExecution request = 1; … }, RequestExecution { string method = 1; … }
        var message = new SetExecutionRequest
        {
            Condition = new Condition { Request = new RequestExecution { Method = "/a.B/C" } },
            Targets = { "t", "u" },
        };

        byte[] expected =
        [
            0x0A, 0x0A, 0x0A, 0x08, 0x0A, 0x06, .. "/a.B/C"u8,
            0x12, 0x01, (byte)'t',
            0x12, 0x01, (byte)'u',
        ];
        Assert.Equal(expected, message.ToByteArray());
        Assert.Equal(message, SetExecutionRequest.Parser.ParseFrom(expected));
    }

    [Fact]
    public void Execution_TargetIds_HasZitadelsFieldNumbers()
    {
        // execution.proto: Execution { Condition condition = 1; creation_date = 2; change_date = 3; repeated string targets = 4; },
        // Condition { … EventExecution event = 4; }, EventExecution { string event = 1; string group = 2; bool all = 3; }
        var execution = new Execution
        {
            Condition = new Condition { Event = new EventExecution { All = true } },
            ChangeDate = new Timestamp { Seconds = 1 },
            Targets = { "t" },
        };

        Assert.Equal(
            [0x0A, 0x04, 0x22, 0x02, 0x18, 0x01, 0x1A, 0x02, 0x08, 0x01, 0x22, 0x01, (byte)'t'],
            execution.ToByteArray());
    }

    [Fact]
    public void Target_PayloadType_HasZitadelsFieldNumberAndValues()
    {
        // target.proto: Target { id = 1; … rest_webhook = 5; … PayloadType payload_type = 11; }, RESTWebhook { bool interrupt_on_error = 1; },
        // PayloadType { UNSPECIFIED = 0; JSON = 1; JWT = 2; JWE = 3; }
        var target = new Target { Id = "x", RestWebhook = new RESTWebhook(), PayloadType = PayloadType.Jwe };

        Assert.Equal([0x0A, 0x01, (byte)'x', 0x2A, 0x00, 0x58, 0x03], target.ToByteArray());
        Assert.Equal([0, 1, 2, 3], new[] { PayloadType.Unspecified, PayloadType.Json, PayloadType.Jwt, PayloadType.Jwe }.Select(static p => (int)p));
    }

    [Fact]
    public void TargetRequests_PayloadType_HaveZitadelsFieldNumbers()
    {
        // action_service.proto: CreateTargetRequest { name = 1; rest_webhook = 2; rest_call = 3; rest_async = 4; timeout = 5; endpoint = 6;
        // PayloadType payload_type = 7; }
        Assert.Equal(
            [0x0A, 0x01, (byte)'n', 0x1A, 0x02, 0x08, 0x01, 0x32, 0x01, (byte)'e', 0x38, 0x02],
            new CreateTargetRequest { Name = "n", RestCall = new RESTCall { InterruptOnError = true }, Endpoint = "e", PayloadType = PayloadType.Jwt }.ToByteArray());

        // UpdateTargetRequest { id = 1; …; optional expiration_signing_key = 8; PayloadType payload_type = 9; }
        Assert.Equal(
            [0x0A, 0x01, (byte)'i', 0x42, 0x00, 0x48, 0x01],
            new UpdateTargetRequest { Id = "i", ExpirationSigningKey = new Duration(), PayloadType = PayloadType.Json }.ToByteArray());
    }

    [Fact]
    public void ListTargetsRequest_PaginationSortingAndNameFilter_HaveZitadelsFieldNumbersAndValues()
    {
        // action_service.proto: ListTargetsRequest { optional zitadel.filter.v2.PaginationRequest pagination = 1; optional TargetFieldName sorting_column = 2;
        // repeated TargetSearchFilter filters = 3; }; filter.proto: PaginationRequest { uint64 offset = 1; uint32 limit = 2; bool asc = 3; },
        // TextFilterMethod { … CONTAINS_IGNORE_CASE = 5; … }; query.proto: TargetFieldName { … NAME = 4; … },
        // TargetSearchFilter { TargetNameFilter target_name_filter = 1; InTargetIDsFilter in_target_ids_filter = 2; },
        // TargetNameFilter { string target_name = 1; TextFilterMethod method = 2; }, InTargetIDsFilter { repeated string target_ids = 1; }
        var request = new ListTargetsRequest
        {
            Pagination = new PaginationRequest { Offset = 1, Limit = 2, Asc = true },
            SortingColumn = TargetFieldName.Name,
            Filters =
            {
                new TargetSearchFilter { TargetNameFilter = new TargetNameFilter { TargetName = "n", Method = TextFilterMethod.ContainsIgnoreCase } },
                new TargetSearchFilter { InTargetIdsFilter = new InTargetIDsFilter { TargetIds = { "t" } } },
            },
        };

        byte[] expected =
        [
            0x0A, 0x06, 0x08, 0x01, 0x10, 0x02, 0x18, 0x01,
            0x10, 0x04,
            0x1A, 0x07, 0x0A, 0x05, 0x0A, 0x01, (byte)'n', 0x10, 0x05,
            0x1A, 0x05, 0x12, 0x03, 0x0A, 0x01, (byte)'t',
        ];
        Assert.Equal(expected, request.ToByteArray());
        Assert.Equal(request, ListTargetsRequest.Parser.ParseFrom(expected));
    }

    [Fact]
    public void TextFilterMethod_EveryMethod_HasZitadelsValue()
    {
        // filter.proto: EQUALS = 0 … ENDS_WITH_IGNORE_CASE = 7, each method followed by its ignore-case twin.
        TextFilterMethod[] methods =
        [
            TextFilterMethod.Equals, TextFilterMethod.EqualsIgnoreCase, TextFilterMethod.StartsWith, TextFilterMethod.StartsWithIgnoreCase,
            TextFilterMethod.Contains, TextFilterMethod.ContainsIgnoreCase, TextFilterMethod.EndsWith, TextFilterMethod.EndsWithIgnoreCase,
        ];

        Assert.Equal(Enumerable.Range(0, 8), methods.Select(static m => (int)m));
    }

    [Fact]
    public void ListExecutionsRequest_EveryFilter_HasZitadelsFieldNumbersAndValues()
    {
        // action_service.proto: ListExecutionsRequest { pagination = 1; optional ExecutionFieldName sorting_column = 2; repeated ExecutionSearchFilter filters = 3; };
        // query.proto: ExecutionFieldName { … CHANGED_DATE = 3; }, ExecutionSearchFilter { InConditionsFilter in_conditions_filter = 1;
        // ExecutionTypeFilter execution_type_filter = 2; TargetFilter target_filter = 3; }, InConditionsFilter { repeated Condition conditions = 1; },
        // ExecutionTypeFilter { ExecutionType execution_type = 1; }, ExecutionType { … RESPONSE = 2; … }, TargetFilter { string target_id = 1; }
        var request = new ListExecutionsRequest
        {
            SortingColumn = ExecutionFieldName.ChangedDate,
            Filters =
            {
                new ExecutionSearchFilter { InConditionsFilter = new InConditionsFilter { Conditions = { new Condition { Function = new FunctionExecution { Name = "f" } } } } },
                new ExecutionSearchFilter { ExecutionTypeFilter = new ExecutionTypeFilter { ExecutionType = ExecutionType.Response } },
                new ExecutionSearchFilter { TargetFilter = new TargetFilter { TargetId = "t" } },
            },
        };

        byte[] expected =
        [
            0x10, 0x03,
            0x1A, 0x09, 0x0A, 0x07, 0x0A, 0x05, 0x1A, 0x03, 0x0A, 0x01, (byte)'f',
            0x1A, 0x04, 0x12, 0x02, 0x08, 0x02,
            0x1A, 0x05, 0x1A, 0x03, 0x0A, 0x01, (byte)'t',
        ];
        Assert.Equal(expected, request.ToByteArray());
    }

    [Fact]
    public void ListResponses_PaginationAndResults_HaveZitadelsFieldNumbers()
    {
        // action_service.proto: ListTargetsResponse { zitadel.filter.v2.PaginationResponse pagination = 1; repeated Target targets = 2; },
        // ListExecutionsResponse { pagination = 1; repeated Execution executions = 2; }; filter.proto: PaginationResponse { uint64 total_result = 1; uint64 applied_limit = 2; }
        var targets = new ListTargetsResponse { Pagination = new PaginationResponse { TotalResult = 3, AppliedLimit = 100 } };
        targets.Targets.Add(new Target { Id = "x" });
        var executions = new ListExecutionsResponse { Pagination = new PaginationResponse { TotalResult = 1 } };
        executions.Executions.Add(new Execution { Targets = { "t" } });

        Assert.Equal([0x0A, 0x04, 0x08, 0x03, 0x10, 0x64, 0x12, 0x03, 0x0A, 0x01, (byte)'x'], targets.ToByteArray());
        Assert.Equal([0x0A, 0x02, 0x08, 0x01, 0x12, 0x03, 0x22, 0x01, (byte)'t'], executions.ToByteArray());
    }

    [Fact]
    public void PublicKeyMessages_EveryField_HaveZitadelsFieldNumbers()
    {
        // action_service.proto: AddPublicKeyRequest { string target_id = 1; bytes public_key = 2; optional Timestamp expiration_date = 3; },
        // AddPublicKeyResponse { string key_id = 1; Timestamp creation_date = 2; }, ActivatePublicKeyRequest { target_id = 1; key_id = 2; },
        // RemovePublicKeyResponse { Timestamp deletion_date = 1; }, ListPublicKeysResponse { repeated PublicKey public_keys = 1; };
        // target.proto: PublicKey { key_id = 1; bool active = 2; bytes public_key = 3; string fingerprint = 4; expiration_date = 5;
        // creation_date = 6; change_date = 7; }
        Assert.Equal(
            [0x0A, 0x01, (byte)'t', 0x12, 0x01, (byte)'k', 0x1A, 0x02, 0x08, 0x01],
            new AddPublicKeyRequest { TargetId = "t", PublicKey = ByteString.CopyFromUtf8("k"), ExpirationDate = new Timestamp { Seconds = 1 } }.ToByteArray());
        Assert.Equal([0x0A, 0x01, (byte)'k', 0x12, 0x02, 0x08, 0x01], new AddPublicKeyResponse { KeyId = "k", CreationDate = new Timestamp { Seconds = 1 } }.ToByteArray());
        Assert.Equal([0x0A, 0x01, (byte)'t', 0x12, 0x01, (byte)'k'], new ActivatePublicKeyRequest { TargetId = "t", KeyId = "k" }.ToByteArray());
        Assert.Equal([0x0A, 0x01, (byte)'t', 0x12, 0x01, (byte)'k'], new RemovePublicKeyRequest { TargetId = "t", KeyId = "k" }.ToByteArray());
        Assert.Equal([0x0A, 0x02, 0x08, 0x01], new RemovePublicKeyResponse { DeletionDate = new Timestamp { Seconds = 1 } }.ToByteArray());

        var list = new ListPublicKeysResponse
        {
            PublicKeys =
            {
                new PublicKey
                {
                    KeyId = "k",
                    Active = true,
                    PublicKey_ = ByteString.CopyFromUtf8("p"),
                    Fingerprint = "f",
                    ExpirationDate = new Timestamp { Seconds = 1 },
                    CreationDate = new Timestamp { Seconds = 2 },
                    ChangeDate = new Timestamp { Seconds = 3 },
                },
            },
        };
        Assert.Equal(
            [
                0x0A, 0x17,
                0x0A, 0x01, (byte)'k', 0x10, 0x01, 0x1A, 0x01, (byte)'p', 0x22, 0x01, (byte)'f',
                0x2A, 0x02, 0x08, 0x01, 0x32, 0x02, 0x08, 0x02, 0x3A, 0x02, 0x08, 0x03,
            ],
            list.ToByteArray());
    }
}
