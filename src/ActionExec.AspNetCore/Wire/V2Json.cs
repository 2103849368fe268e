using System.Buffers;
using System.Text.Json;
using ActionExec.Errors;
using ActionExec.Management;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Reads the request bodies of ZITADEL's GA API (<c>/v2/actions</c>) into the model and writes its responses, with the rules of
/// <see cref="ActionExecJson"/>: every failure is <see cref="ActionExecErrorCode.InvalidArgument"/> naming each problem's JSON path.
/// </summary>
internal static class V2Json
{
    private static ActionExecJsonContext Context => ActionExecJsonContext.Default;

    /// <summary>Reads a create body into its wire record; the rules of targets are checked when it is turned into the model.</summary>
    public static V2CreateTargetRequestJson ReadCreateTargetRequest(ReadOnlySpan<byte> utf8Json) =>
        ActionExecJson.Read(utf8Json, Context.V2CreateTargetRequestJson);

    /// <summary>Reads an update body into its wire record.</summary>
    public static V2UpdateTargetRequestJson ReadUpdateTargetRequest(ReadOnlySpan<byte> utf8Json) =>
        ActionExecJson.Read(utf8Json, Context.V2UpdateTargetRequestJson);

    /// <summary>Reads a <c>SetExecution</c> body (target ids only) into its wire record.</summary>
    public static V2SetExecutionRequestJson ReadSetExecutionRequest(ReadOnlySpan<byte> utf8Json) =>
        ActionExecJson.Read(utf8Json, Context.V2SetExecutionRequestJson);

    /// <summary>Reads a target search body into its wire record; an empty body is the default search.</summary>
    public static V2ListTargetsRequestJson ReadListTargetsRequest(ReadOnlySpan<byte> utf8Json) =>
        ActionExecJson.Read(OrEmptyObject(utf8Json), Context.V2ListTargetsRequestJson);

    /// <summary>Reads an execution search body into its wire record; an empty body is the default search.</summary>
    public static V2ListExecutionsRequestJson ReadListExecutionsRequest(ReadOnlySpan<byte> utf8Json) =>
        ActionExecJson.Read(OrEmptyObject(utf8Json), Context.V2ListExecutionsRequestJson);

    /// <summary><c>{"changeDate", "signingKey"?}</c>.</summary>
    public static byte[] WriteUpdateTargetResponse(DateTimeOffset changeDate, string? signingKey) =>
        ActionExecJson.Write(new V2UpdateTargetResponseJson { ChangeDate = changeDate, SigningKey = signingKey }, Context.V2UpdateTargetResponseJson);

    /// <summary><c>{"deletionDate"}</c>, or <c>{}</c> when nothing was deleted.</summary>
    public static byte[] WriteDeleteTargetResponse(DateTimeOffset? deletionDate) =>
        ActionExecJson.Write(new V2DeleteTargetResponseJson { DeletionDate = deletionDate }, Context.V2DeleteTargetResponseJson);

    /// <summary><c>{"pagination": {…}, "targets": [ … ]}</c>.</summary>
    public static byte[] WriteListTargetsResponse(TargetPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return ActionExecJson.Write(
            new V2ListTargetsResponseJson { Pagination = Pagination(page.TotalResult, page.AppliedLimit), Targets = [.. page.Targets.Select(TargetJson.FromModel)] },
            Context.V2ListTargetsResponseJson);
    }

    /// <summary><c>{"pagination": {…}, "executions": [ … ]}</c>.</summary>
    public static byte[] WriteListExecutionsResponse(ExecutionPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return ActionExecJson.Write(
            new V2ListExecutionsResponseJson
            {
                Pagination = Pagination(page.TotalResult, page.AppliedLimit),
                Executions = [.. page.Executions.Select(static e => V2ExecutionJson.FromModel(e.Execution, e.TargetIds))],
            },
            Context.V2ListExecutionsResponseJson);
    }

    /// <summary>A discovery list, such as <c>{"functions": ["preuserinfo"]}</c>.</summary>
    public static byte[] WriteNames(string property, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(property);
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The GA paths of <c>SetExecution</c>'s violations: Core names a target entry <c>targets[i].target</c>, which in the GA shape
    /// (a list of ids) is <c>targets[i]</c>. Returns <paramref name="error"/> itself when nothing is renamed.
    /// </summary>
    public static ActionExecException WithGaTargetPaths(ActionExecException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!error.Violations.Any(static v => IsTargetEntryPath(v.Field)))
        {
            return error;
        }

        var violations = error.Violations.Select(static v => IsTargetEntryPath(v.Field) ? v with { Field = v.Field[..^".target".Length] } : v);
        return new ActionExecException(error.Code, error.Message, violations, error) { ForwardedHttpStatusCode = error.ForwardedHttpStatusCode };
    }

    private static bool IsTargetEntryPath(string field) =>
        field.StartsWith("targets[", StringComparison.Ordinal) && field.EndsWith("].target", StringComparison.Ordinal);

    private static V2PaginationResponseJson Pagination(long total, int applied) =>
        new() { TotalResult = (ulong)total, AppliedLimit = (ulong)applied };

    private static ReadOnlySpan<byte> OrEmptyObject(ReadOnlySpan<byte> utf8Json) =>
        utf8Json.IndexOfAnyExcept(" \t\r\n"u8) < 0 ? "{}"u8 : utf8Json;
}
