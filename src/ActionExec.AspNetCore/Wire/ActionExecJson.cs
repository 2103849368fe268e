using ActionExec.Json;
using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using ActionExec.Conditions;
using ActionExec.Delivery;
using ActionExec.TestConsole;
using ActionExec.Engine;
using ActionExec.Errors;
using ActionExec.Executions;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads request bodies of the wire format into the model and writes the model as response bodies: conditions, executions,
/// targets, errors and the management routes' answers. Every read failure — no JSON, broken JSON, a wrong JSON type, an unknown property, an invalid value —
/// is an <see cref="ActionExecException"/> with <see cref="ActionExecErrorCode.InvalidArgument"/> whose violations
/// name the JSON path of each problem, such as <c>targets[1].include</c>.
/// </summary>
internal static class ActionExecJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Messages quote values with ' and may hold any text: the relaxed encoder keeps them readable, and
        // still escapes what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ActionExecJsonContext Context => ActionExecJsonContext.Default;

    /// <summary>Reads a wire-format value, turning every failure into a violation with the JSON path of the problem.</summary>
    /// <typeparam name="T">The wire type.</typeparam>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>, such as <c>ActionExecJsonContext.Default.ErrorJson</c>.</param>
    /// <returns>The value; never <see langword="null"/>.</returns>
    /// <exception cref="ActionExecException">The input is empty, <c>null</c>, not UTF-8, holds a <c>\uXXXX</c> escape of half a surrogate pair without the other half, is not JSON or not of the shape of <typeparamref name="T"/> (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);

        // RFC 8259 lets a parser ignore a byte order mark; the reader itself would reject it.
        var body = utf8Json;
        if (utf8Json.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        if (utf8Json.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            throw ActionExecException.InvalidArgument("", "The body is empty; send a JSON object.");
        }

        // Checked up front: the reader leaves string contents unchecked until they are decoded, and the failure
        // it reports then cannot be told apart from a value of the wrong type.
        if (!Utf8.IsValid(utf8Json))
        {
            throw ActionExecException.InvalidArgument("", "The body is not valid UTF-8; send JSON encoded as UTF-8.");
        }

        // Also checked up front: the reader decodes such an escape only when it reads the string, and its failure then
        // reads as a value of the wrong type — or, for a value kept as JSON, as a failure much later, when it is written.
        ThrowIfLoneSurrogate(body);

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8Json, typeInfo);
        }
        catch (JsonException exception)
        {
            var violation = JsonFailure.Describe(exception, typeInfo);
            throw new ActionExecException(ActionExecErrorCode.InvalidArgument, violation.ToString(), [violation], exception);
        }

        return value ?? throw ActionExecException.InvalidArgument("", "The body is null; send a JSON object.");
    }

    /// <summary>
    /// Fails on a <c>\uXXXX</c> escape of half a UTF-16 surrogate pair without the other half, such as <c>"\uD800"</c>, anywhere
    /// in UTF-8 JSON text. The JSON grammar allows such an escape, but it is not text: a reader fails on it only when it decodes
    /// that string, and a writer refuses to write it, so a body that holds one fails far from where it came in unless it is
    /// refused first. <see cref="Read{T}"/> checks this itself; call it for JSON read otherwise, such as into a <c>JsonNode</c>.
    /// </summary>
    /// <param name="utf8Json">The UTF-8 JSON text, as received; it need not be valid JSON.</param>
    /// <exception cref="ActionExecException">The text holds such an escape (<see cref="ActionExecErrorCode.InvalidArgument"/>, on the root, naming the first one and its byte).</exception>
    public static void ThrowIfLoneSurrogate(ReadOnlySpan<byte> utf8Json)
    {
        if (JsonEscapes.TryFindLoneSurrogate(utf8Json, out var offset, out var escape))
        {
            throw ActionExecException.InvalidArgument(
                "",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The body holds the escape {escape} at byte {offset + 1}: half of a UTF-16 surrogate pair without the other half, which is not text; send the character itself, or both halves of its pair (such as \\uD83C\\uDF89)."));
        }
    }

    /// <summary>Writes a wire-format value as compact UTF-8 JSON.</summary>
    /// <typeparam name="T">The wire type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a condition, such as <c>{"request": {"method": "/pkg.v1.Service/Method"}}</c>.</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ActionExecException">The input is not a valid condition (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation is listed, with paths relative to the body (<c>request.method</c>).</exception>
    public static Condition ReadCondition(ReadOnlySpan<byte> utf8Json)
    {
        var violations = new ViolationList();
        var condition = Read(utf8Json, Context.ConditionJson).ToModel("", violations);
        violations.ThrowIfAny();
        return condition!;
    }

    /// <summary>Writes the canonical wire form of a condition (a method with its leading <c>/</c>, a group without <c>.*</c>).</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteCondition(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Write(ConditionJson.FromModel(condition), Context.ConditionJson);
    }

    /// <summary>Reads a <c>SetExecution</c> body, <c>{"condition": …, "targets": [ … ]}</c> (v2beta and v3alpha).</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>The condition and the ordered entries; a missing or null <c>targets</c> is the empty list.</returns>
    /// <exception cref="ActionExecException">The body is invalid (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation of the condition and of the entries is listed, with paths such as <c>condition.request.method</c> and <c>targets[2].target</c>.</exception>
    public static SetExecutionRequest ReadSetExecutionRequest(ReadOnlySpan<byte> utf8Json)
    {
        var violations = new ViolationList();
        var request = Read(utf8Json, Context.SetExecutionRequestJson).ToModel(violations);
        violations.ThrowIfAny();
        return request!;
    }

    /// <summary>Writes the v2beta <c>SetExecution</c> response, <c>{"setDate": "2024-12-18T07:50:47.492Z"}</c>.</summary>
    /// <param name="setDate">When the change was committed.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteSetDateResponse(DateTimeOffset setDate) =>
        Write(new SetDateResponseJson { SetDate = setDate }, Context.SetDateResponseJson);

    /// <summary>Writes the v3alpha <c>SetExecution</c> response, <c>{"details": {"sequence": "2", "changeDate": "…", "resourceOwner": "…"}}</c>.</summary>
    /// <param name="details">The details of the change.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteDetailsResponse(ExecutionDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return Write(new DetailsResponseJson { Details = DetailsJson.FromModel(details) }, Context.DetailsResponseJson);
    }

    /// <summary>Reads a v3alpha <c>SetExecution</c> response; <c>sequence</c> may be a JSON string or number.</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>The details.</returns>
    /// <exception cref="ActionExecException">The input is not a details response (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static ExecutionDetails ReadDetailsResponse(ReadOnlySpan<byte> utf8Json) =>
        Read(utf8Json, Context.DetailsResponseJson).Details?.ToModel()
        ?? throw ActionExecException.InvalidArgument("details", "The details are missing; a response has the form {\"details\": {\"sequence\": \"2\", \"changeDate\": \"…\", \"resourceOwner\": \"…\"}}.");

    /// <summary>Writes a list of executions with their entries (object form) and details.</summary>
    /// <param name="executions">The executions of this page.</param>
    /// <param name="totalResult">How many executions match in total.</param>
    /// <param name="appliedLimit">The most executions a page may hold.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteExecutionList(IEnumerable<Execution> executions, ulong totalResult, ulong appliedLimit)
    {
        ArgumentNullException.ThrowIfNull(executions);
        var list = new ExecutionListJson
        {
            Details = new ListDetailsJson { TotalResult = totalResult, AppliedLimit = appliedLimit },
            Result = [.. executions.Select(ExecutionJson.FromModel)],
        };
        return Write(list, Context.ExecutionListJson);
    }

    /// <summary>Reads the body that creates a target, checking its wire shape only; run <see cref="TargetRules"/> on the result.</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>The specification; absent values take their proto defaults (an empty name, a zero timeout).</returns>
    /// <exception cref="ActionExecException">The body is invalid JSON, has an unknown property or a wrong type, or names no or several of <c>restWebhook</c>, <c>restCall</c> and <c>restAsync</c>, or an unknown payload type or signature scheme (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static TargetSpec ReadCreateTargetRequest(ReadOnlySpan<byte> utf8Json)
    {
        var violations = new ViolationList();
        var spec = Read(utf8Json, Context.TargetRequestJson).ToSpec(violations);
        violations.ThrowIfAny();
        return spec;
    }

    /// <summary>Reads the body that creates a target and checks it against <see cref="TargetRules"/>, reporting every violation together.</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <param name="maxTimeout">The largest timeout allowed, such as <see cref="TargetRules.DefaultMaxTimeout"/>.</param>
    /// <param name="schemes">The endpoint schemes an invoker claims; <see langword="null"/> for <c>http</c> and <c>https</c>.</param>
    /// <returns>The valid specification.</returns>
    /// <exception cref="ActionExecException">The body is invalid or breaks a rule of targets (name, endpoint, timeout, type) (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation is listed.</exception>
    public static TargetSpec ReadCreateTargetRequest(ReadOnlySpan<byte> utf8Json, TimeSpan maxTimeout, IReadOnlySet<string>? schemes = null)
    {
        var violations = new ViolationList();
        var spec = Read(utf8Json, Context.TargetRequestJson).ToSpec(violations);
        TargetRules.Validate(spec, maxTimeout, schemes, violations);
        violations.ThrowIfAny();
        return spec;
    }

    /// <summary>Reads the <c>PATCH</c> body of a target, in which every property is optional.</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>The change; apply it with <see cref="TargetUpdate.ApplyTo"/> and check the result with <see cref="TargetRules"/>.</returns>
    /// <exception cref="ActionExecException">The body is invalid JSON, has an unknown property or a wrong type, names several target types, or an unknown payload type or signature scheme (<see cref="ActionExecErrorCode.InvalidArgument"/>).</exception>
    public static TargetUpdate ReadUpdateTargetRequest(ReadOnlySpan<byte> utf8Json)
    {
        var violations = new ViolationList();
        var update = Read(utf8Json, Context.TargetRequestJson).ToUpdate(violations);
        violations.ThrowIfAny();
        return update;
    }

    /// <summary>Writes the response to creating a target, <c>{"id", "creationDate", "signingKey"}</c>.</summary>
    /// <param name="target">The created target.</param>
    /// <param name="signingKey">Its signing key, which only this response and key rotation return.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteCreateTargetResponse(Target target, string signingKey)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        var response = new CreateTargetResponseJson { Id = target.Id, CreationDate = target.CreationDate, SigningKey = signingKey };
        return Write(response, Context.CreateTargetResponseJson);
    }

    /// <summary>Writes a target as get returns it; never with a signing key.</summary>
    /// <param name="target">The target.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteTarget(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Write(TargetJson.FromModel(target), Context.TargetJson);
    }

    /// <summary>Writes the response of getting or updating a target, <c>{"target": {…}}</c>; never with a signing key.</summary>
    /// <param name="target">The target.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteTargetResponse(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Write(new TargetResponseJson { Target = TargetJson.FromModel(target) }, Context.TargetResponseJson);
    }

    /// <summary>Writes the response of rotating a target's signing key, <c>{"signingKey", "changeDate"}</c>.</summary>
    /// <param name="target">The target after the rotation; its <see cref="Target.ChangeDate"/> is the <c>changeDate</c>.</param>
    /// <param name="signingKey">The new signing key, which only this response returns.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteSigningKeyResponse(Target target, string signingKey)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        return Write(new SigningKeyResponseJson { SigningKey = signingKey, ChangeDate = target.ChangeDate }, Context.SigningKeyResponseJson);
    }

    /// <summary>Writes the response of deleting a target, <c>{"deletionDate": "2024-12-18T07:50:47.492Z"}</c>.</summary>
    /// <param name="deletionDate">When the target was deleted.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteDeleteTargetResponse(DateTimeOffset deletionDate) =>
        Write(new DeleteTargetResponseJson { DeletionDate = deletionDate }, Context.DeleteTargetResponseJson);

    /// <summary>Writes a list of targets; never with signing keys.</summary>
    /// <param name="targets">The targets of this page.</param>
    /// <param name="totalResult">How many targets match in total.</param>
    /// <param name="appliedLimit">The most targets a page may hold.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteTargetList(IEnumerable<Target> targets, ulong totalResult, ulong appliedLimit)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var list = new TargetListJson
        {
            Details = new ListDetailsJson { TotalResult = totalResult, AppliedLimit = appliedLimit },
            Result = [.. targets.Select(TargetJson.FromModel)],
        };
        return Write(list, Context.TargetListJson);
    }

    /// <summary>Writes the answer of the explain API: which execution matched, why, its flattened targets (never a key) and any include that resolved to nothing.</summary>
    /// <param name="explanation">The explanation, from <c>ActionManagementService.ExplainAsync</c>.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteExplanation(ExecutionExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return Write(ExplanationJson.FromModel(explanation), Context.ExplanationJson);
    }

    /// <summary>
    /// Reads the body of the action test console,
    /// <c>{"method": "POST", "uriFragments": "id=1", "parameters": "page=2&amp;q=x", "headers": "Content-Type=application/json", "body": {…}}</c>.
    /// </summary>
    /// <remarks>
    /// <c>method</c> is required and exactly one of <c>GET</c>, <c>POST</c>, <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.
    /// <c>uriFragments</c>, <c>parameters</c> and <c>headers</c> are URL-encoded strings: absent, null or empty is the empty map;
    /// otherwise pairs <c>name=value</c> separated by <c>&amp;</c>, split at the first <c>=</c> (so <c>a=b=c</c> is <c>a</c> →
    /// <c>b=c</c>), with <c>+</c> as a space and <c>%XX</c> as a byte. Malformed, each reported on its field: an empty pair
    /// (<c>a&amp;&amp;b</c>, a leading or trailing <c>&amp;</c>), a pair without <c>=</c> (<c>a</c>), an empty name (<c>=x</c>), a
    /// <c>%</c> without two hexadecimal digits (<c>%zz</c>), bytes that are not UTF-8 (<c>%FF</c>), and in <c>headers</c> a name
    /// that is not an HTTP field name or a value with CR, LF or NUL. A name given twice keeps its first position and its last
    /// value; header names are compared without regard to case. <c>body</c> is any JSON; absent it is <c>{}</c>.
    /// </remarks>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ActionExecException">The body is not JSON, has an unknown property or a value of the wrong type, or breaks a rule above (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation of the method and the three strings is listed, with the field it is in.</exception>
    public static ConsoleRequest ReadConsoleRequest(ReadOnlySpan<byte> utf8Json)
    {
        var violations = new ViolationList();
        var request = Read(utf8Json, Context.ConsoleRequestJson).ToModel(violations);
        violations.ThrowIfAny();
        return request!;
    }

    /// <summary>Writes the answer of the action test console, <c>{"statusCode", "headers", "body"}</c>, plus <c>"trace"</c> for a chain.</summary>
    /// <param name="response">The console's answer.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteConsoleResponse(ConsoleResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Write(ConsoleResponseJson.FromModel(response), Context.ConsoleResponseJson);
    }

    /// <summary>
    /// Writes a page of the delivery history in the list wrapper:
    /// <c>{"details": {"totalResult": "…", "appliedLimit": "…"}, "result": [ … ]}</c>, newest first, without attempts.
    /// </summary>
    /// <param name="page">The page.</param>
    /// <param name="appliedLimit">The page size the query asked for.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteDeliveryList(DeliveryPage page, int appliedLimit)
    {
        ArgumentNullException.ThrowIfNull(page);
        var list = new DeliveryListJson
        {
            Details = new ListDetailsJson { TotalResult = (ulong)Math.Max(0, page.TotalCount), AppliedLimit = (ulong)Math.Max(0, appliedLimit) },
            Result = [.. (page.Deliveries.IsDefault ? [] : page.Deliveries).Select(static d => DeliveryJson.FromModel(d, withAttempts: false))],
        };
        return Write(list, Context.DeliveryListJson);
    }

    /// <summary>Writes one delivery with its attempts: <c>{"delivery": {"id", "status", …, "attempts": [ … ]}}</c>.</summary>
    /// <param name="record">The delivery, from a get or a replay.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteDeliveryResponse(DeliveryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Write(new DeliveryResponseJson { Delivery = DeliveryJson.FromModel(record, withAttempts: true) }, Context.DeliveryResponseJson);
    }

    /// <summary>Reads the body of replaying dead letters, <c>{"since": "2024-12-18T07:50:47.492Z", "targetId": "…"}</c>.</summary>
    /// <param name="utf8Json">The UTF-8 JSON text.</param>
    /// <returns>Since when, and the target if one is named.</returns>
    /// <exception cref="ActionExecException">The body is not of that shape, or <c>since</c> is missing (<see cref="ActionExecErrorCode.InvalidArgument"/>, on the field's path).</exception>
    public static (DateTimeOffset Since, string? TargetId) ReadReplayDeadLettersRequest(ReadOnlySpan<byte> utf8Json)
    {
        var request = Read(utf8Json, Context.ReplayDeadLettersRequestJson);
        return request.Since is { } since
            ? (since, request.TargetId)
            : throw ActionExecException.InvalidArgument("since", "The time since which to replay dead letters is missing; give an RFC 3339 time such as " + ProtoJson.TimestampExample + ".");
    }

    /// <summary>Writes how many dead letters a replay made due again: <c>{"replayed": 3}</c>.</summary>
    /// <param name="replayed">The count.</param>
    /// <returns>The UTF-8 JSON text.</returns>
    public static byte[] WriteReplayDeadLettersResponse(int replayed) =>
        Write(new ReplayDeadLettersResponseJson { Replayed = replayed }, Context.ReplayDeadLettersResponseJson);

    /// <summary>
    /// Writes the gRPC-gateway error body of an exception: its code, its message and, when it has violations, a
    /// <c>google.rpc.BadRequest</c> detail listing them — the first 100 of more, so that an answer never grows with its input.
    /// </summary>
    /// <param name="exception">The error.</param>
    /// <returns>The UTF-8 JSON text; send it with the status <see cref="ActionExecException.HttpStatusCode"/>.</returns>
    public static byte[] WriteError(ActionExecException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Write(ErrorJson.FromModel(exception), Context.ErrorJson);
    }
}
