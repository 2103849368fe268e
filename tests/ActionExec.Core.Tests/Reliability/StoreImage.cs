using System.Globalization;
using ActionExec.Storage;

namespace ActionExec.Tests.Reliability;

/// <summary>Everything a store holds for a tenant, keys included, as one comparable text: what "the store is unchanged" means.</summary>
public static class StoreImage
{
    public static async Task<string> OfAsync(IActionStore store, string tenantId)
    {
        var state = await store.LoadAsync(tenantId, CancellationToken.None);
        var sequence = await store.GetSequenceAsync(tenantId, CancellationToken.None);
        var lines = new List<string> { $"sequence {state.Sequence} (read alone: {sequence})" };
        lines.AddRange(state.Targets.OrderBy(t => t.Target.Id, StringComparer.Ordinal).Select(t => string.Create(
            CultureInfo.InvariantCulture,
            $"target {t.Target.Id} {t.Target.Name} {t.Target.Endpoint} {t.Target.Type} {t.Target.Timeout} {t.Target.InterruptOnError} {t.Target.Sequence} {t.Target.ChangeDate:O} key {t.SigningKey}")));
        lines.AddRange(state.Executions.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => string.Create(
            CultureInfo.InvariantCulture,
            $"execution {e.Id} [{string.Join(", ", e.Entries)}] {e.Details.Sequence} {e.Details.ChangeDate:O} {e.Details.ResourceOwner}")));
        return string.Join('\n', lines);
    }
}
