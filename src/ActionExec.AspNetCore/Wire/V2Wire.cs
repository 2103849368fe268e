using System.Collections.Immutable;
using System.Globalization;
using ActionExec.Conditions;
using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The wire names of ZITADEL's GA API (<c>zitadel.action.v2</c>) that the v2beta and v3alpha shapes do not have: its payload
/// types, text filter methods, sort fields and execution types, each readable by name or by proto number.
/// </summary>
internal static class V2Wire
{
    /// <summary>The payload type names, indexed by proto number; 0 (unspecified) is the default.</summary>
    public static ImmutableArray<string> PayloadTypeNames { get; } = ["PAYLOAD_TYPE_UNSPECIFIED", "PAYLOAD_TYPE_JSON", "PAYLOAD_TYPE_JWT", "PAYLOAD_TYPE_JWE"];

    /// <summary>The text filter method names, indexed by proto number, which is the value of <see cref="TextFilterMethod"/>.</summary>
    public static ImmutableArray<string> TextFilterMethodNames { get; } =
    [
        "TEXT_FILTER_METHOD_EQUALS", "TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE", "TEXT_FILTER_METHOD_STARTS_WITH",
        "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE", "TEXT_FILTER_METHOD_CONTAINS", "TEXT_FILTER_METHOD_CONTAINS_IGNORE_CASE",
        "TEXT_FILTER_METHOD_ENDS_WITH", "TEXT_FILTER_METHOD_ENDS_WITH_IGNORE_CASE",
    ];

    /// <summary>The target sort field names, indexed by proto number.</summary>
    public static ImmutableArray<string> TargetFieldNames { get; } =
    [
        "TARGET_FIELD_NAME_UNSPECIFIED", "TARGET_FIELD_NAME_ID", "TARGET_FIELD_NAME_CREATED_DATE", "TARGET_FIELD_NAME_CHANGED_DATE",
        "TARGET_FIELD_NAME_NAME", "TARGET_FIELD_NAME_TARGET_TYPE", "TARGET_FIELD_NAME_URL", "TARGET_FIELD_NAME_TIMEOUT",
        "TARGET_FIELD_NAME_INTERRUPT_ON_ERROR",
    ];

    /// <summary>The execution sort field names, indexed by proto number.</summary>
    public static ImmutableArray<string> ExecutionFieldNames { get; } =
        ["EXECUTION_FIELD_NAME_UNSPECIFIED", "EXECUTION_FIELD_NAME_ID", "EXECUTION_FIELD_NAME_CREATED_DATE", "EXECUTION_FIELD_NAME_CHANGED_DATE"];

    /// <summary>The execution type names, indexed by proto number.</summary>
    public static ImmutableArray<string> ExecutionTypeNames { get; } =
        ["EXECUTION_TYPE_UNSPECIFIED", "EXECUTION_TYPE_REQUEST", "EXECUTION_TYPE_RESPONSE", "EXECUTION_TYPE_EVENT", "EXECUTION_TYPE_FUNCTION"];

    /// <summary>
    /// The default sort field ZITADEL's request messages declare (<c>…_CREATION_DATE</c>), which is not a member of their enums:
    /// read as the creation date, as meant.
    /// </summary>
    public const string DeclaredTargetDefault = "TARGET_FIELD_NAME_CREATION_DATE";

    /// <summary>The declared default of the execution search; see <see cref="DeclaredTargetDefault"/>.</summary>
    public const string DeclaredExecutionDefault = "EXECUTION_FIELD_NAME_CREATION_DATE";

    /// <summary>Reads a payload type; <see langword="null"/> when absent or unspecified (or invalid, then with a violation).</summary>
    public static PayloadType? ReadPayloadType(string? value, ViolationList violations) =>
        Index(value, PayloadTypeNames, "payloadType", "payload type", violations) switch
        {
            1 => PayloadType.Json,
            2 => PayloadType.Jwt,
            3 => PayloadType.Jwe,
            _ => null,
        };

    /// <summary>Reads a text filter method; absent is <c>EQUALS</c>, proto's zero value.</summary>
    public static TextFilterMethod ReadTextFilterMethod(string? value, string field, ViolationList violations) =>
        (TextFilterMethod)(Index(value, TextFilterMethodNames, field, "text filter method", violations) ?? 0);

    /// <summary>Reads a target sort field; absent, unspecified and the declared default are the creation date.</summary>
    public static TargetQuery.SortField ReadTargetSortField(string? value, ViolationList violations) =>
        string.Equals(value, DeclaredTargetDefault, StringComparison.Ordinal)
            ? TargetQuery.SortField.CreationDate
            : Index(value, TargetFieldNames, "sortingColumn", "sorting column", violations) switch
            {
                1 => TargetQuery.SortField.Id,
                3 => TargetQuery.SortField.ChangeDate,
                4 => TargetQuery.SortField.Name,
                5 => TargetQuery.SortField.TargetType,
                6 => TargetQuery.SortField.Url,
                7 => TargetQuery.SortField.Timeout,
                8 => TargetQuery.SortField.InterruptOnError,
                _ => TargetQuery.SortField.CreationDate,
            };

    /// <summary>Reads an execution sort field; absent, unspecified and the declared default are the creation date.</summary>
    public static ExecutionQuery.SortField ReadExecutionSortField(string? value, ViolationList violations) =>
        string.Equals(value, DeclaredExecutionDefault, StringComparison.Ordinal)
            ? ExecutionQuery.SortField.CreationDate
            : Index(value, ExecutionFieldNames, "sortingColumn", "sorting column", violations) switch
            {
                1 => ExecutionQuery.SortField.Id,
                3 => ExecutionQuery.SortField.ChangeDate,
                _ => ExecutionQuery.SortField.CreationDate,
            };

    /// <summary>Reads an execution type; absent or unspecified is a violation (a type filter must name a type).</summary>
    public static ConditionKind? ReadExecutionType(string? value, string field, ViolationList violations)
    {
        var before = violations.Count;
        var index = Index(value, ExecutionTypeNames, field, "execution type", violations);
        switch (index)
        {
            case 1:
                return ConditionKind.Request;
            case 2:
                return ConditionKind.Response;
            case 3:
                return ConditionKind.Event;
            case 4:
                return ConditionKind.Function;
            default:
                if (violations.Count == before)
                {
                    violations.Add(field, $"The execution type is {(value is null ? "missing" : "unspecified")}; give one of {string.Join(", ", ExecutionTypeNames.Skip(1))}.");
                }

                return null;
        }
    }

    /// <summary>
    /// Reads a <c>pagination</c> object: an offset above <see cref="long.MaxValue"/> or a limit above <see cref="int.MaxValue"/> is
    /// a violation here; the search itself checks the limit against its maximum and reads 0 as the default.
    /// </summary>
    public static (long Offset, int Limit, bool Ascending) ReadPagination(V2PaginationRequestJson? pagination, int maxLimit, int defaultLimit, ViolationList violations)
    {
        if (pagination is null)
        {
            return (0, 0, false);
        }

        var offset = pagination.Offset ?? 0;
        if (offset > long.MaxValue)
        {
            violations.Add("pagination.offset", string.Create(CultureInfo.InvariantCulture, $"The offset is {offset}; give at most {long.MaxValue}."));
        }

        var limit = pagination.Limit ?? 0;
        if (limit > int.MaxValue)
        {
            violations.Add("pagination.limit", string.Create(CultureInfo.InvariantCulture, $"The limit is {limit}; give a page size from 1 to {maxLimit}, or 0 for the default of {defaultLimit}."));
        }

        return ((long)Math.Min(offset, long.MaxValue), (int)Math.Min(limit, int.MaxValue), pagination.Asc ?? false);
    }

    /// <summary>
    /// The proto number of <paramref name="value"/> (a name of <paramref name="names"/> or a number below their count);
    /// <see langword="null"/> when absent, or when unknown (then with a violation listing the names).
    /// </summary>
    private static int? Index(string? value, ImmutableArray<string> names, string field, string what, ViolationList violations)
    {
        if (value is null)
        {
            return null;
        }

        var index = names.IndexOf(value, StringComparer.Ordinal);
        if (index >= 0)
        {
            return index;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < names.Length)
        {
            return number;
        }

        violations.Add(field, $"The {what} '{ConditionRules.Shorten(value)}' is unknown; give one of {string.Join(", ", names)}.");
        return null;
    }
}
