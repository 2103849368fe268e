using System.Globalization;
using System.Text;
using ActionExec.AspNetCore.Wire;
using ActionExec.Storage;

namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>A tenant's stored state as canonical text: its sequence, every target with its key, every execution with its entries and details.</summary>
internal static class StoredState
{
    public static async Task<(ulong Sequence, string Dump)> ReadAsync(IActionStore store, string tenantId)
    {
        var state = await store.LoadAsync(tenantId, CancellationToken.None);
        var dump = new StringBuilder();
        dump.Append(CultureInfo.InvariantCulture, $"sequence {state.Sequence}\n");
        foreach (var stored in state.Targets.OrderBy(t => t.Target.Id, StringComparer.Ordinal))
        {
            dump.Append(Encoding.UTF8.GetString(ActionExecJson.WriteTarget(stored.Target)))
                .Append(CultureInfo.InvariantCulture, $" sequence {stored.Target.Sequence} key {stored.SigningKey}\n");
        }

        var executions = state.Executions.OrderBy(e => e.Id, StringComparer.Ordinal);
        dump.Append(Encoding.UTF8.GetString(ActionExecJson.WriteExecutionList(executions, 0, 0)));
        return (state.Sequence, dump.ToString());
    }
}
