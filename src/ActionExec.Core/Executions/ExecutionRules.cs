using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.Executions;

/// <summary>The rules of an entry list (every entry well-formed, no target and no include twice), checked all at once.</summary>
internal static class ExecutionRules
{
    /// <summary>Validates an entry list: every entry well-formed, no target and no include twice.</summary>
    /// <param name="entries">The entries.</param>
    /// <exception cref="ActionExecException">Any rule is broken (<see cref="ActionExecErrorCode.InvalidArgument"/>); every violation is listed.</exception>
    public static void ValidateEntries(IReadOnlyList<ExecutionEntry?> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var violations = new ViolationList();
        ValidateEntries(entries, "targets", violations);
        violations.ThrowIfAny();
    }

    /// <summary>
    /// Adds every violation of <paramref name="entries"/> under <paramref name="field"/>. When
    /// <paramref name="skipNulls"/> is set, a null slot stands for an entry the caller has already reported
    /// (a wire-format reader does this), so it is skipped and every other entry keeps its index in the paths.
    /// </summary>
    internal static void ValidateEntries(IReadOnlyList<ExecutionEntry?> entries, string field, ViolationList violations, bool skipNulls = false)
    {
        Dictionary<string, int>? seen = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var path = $"{field}[{i}]";
            var entry = entries[i];
            if (entry is null)
            {
                if (skipNulls)
                {
                    continue;
                }

                violations.Add(path, "The entry is empty; give {\"target\": \"<target id>\"} or {\"include\": <condition>}.");
                continue;
            }

            string key;
            if (entry.Kind == ExecutionEntryKind.Target)
            {
                if (!TargetRules.CheckId(entry.TargetId, path + ".target", violations))
                {
                    continue;
                }

                key = "target:" + entry.TargetId;
            }
            else
            {
                key = "include:" + entry.Include!.Id;
            }

            seen ??= new Dictionary<string, int>(StringComparer.Ordinal);
            if (seen.TryGetValue(key, out var first))
            {
                var what = entry.Kind == ExecutionEntryKind.Target
                    ? $"The target '{entry.TargetId}' is listed twice"
                    : $"The include '{entry.Include!.Id}' is listed twice";
                violations.Add(path, $"{what} (first at {field}[{first}]); list each target and each include once.");
            }
            else
            {
                seen.Add(key, i);
            }
        }
    }
}
