using System.Globalization;

namespace ActionExec.Dispatch;

/// <summary>
/// The <c>webhook-id</c>s of one synchronous flow, one per target. The flow draws one version 7 GUID, when an invoker first
/// reads an id; the target at position <c>p</c> gets that GUID with its last 32 bits XOR-ed with <c>p</c>.
/// </summary>
/// <remarks>
/// Drawing a GUID takes random bytes from the operating system, which costs far more than the rest of an in-process call;
/// one draw per flow keeps that cost off every target. The ids of one flow are distinct by construction (distinct positions
/// XOR-ed into the same bits); across flows each id is as random as a fresh GUID's random part, since XOR with a known value
/// keeps a uniformly random value uniform. Only the random bits change, so every id is still a well-formed version 7 GUID.
/// </remarks>
internal sealed class FlowIds
{
    private const int PrefixChars = 24;

    private string? _root;

    /// <summary>The id of the target at <paramref name="position"/>: 32 lower-case hex digits.</summary>
    public string Format(int position)
    {
        var root = Volatile.Read(ref _root);
        if (root is null)
        {
            // Two first readers at once draw two GUIDs; the first one published is the flow's for good.
            Interlocked.CompareExchange(ref _root, Guid.CreateVersion7().ToString("N"), null);
            root = Volatile.Read(ref _root)!;
        }

        if (position == 0)
        {
            return root;
        }

        var tail = uint.Parse(root.AsSpan(PrefixChars), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) ^ (uint)position;
        return string.Create(root.Length, (root, tail), static (chars, state) =>
        {
            state.root.AsSpan(0, PrefixChars).CopyTo(chars);
            state.tail.TryFormat(chars[PrefixChars..], out _, "x8", CultureInfo.InvariantCulture);
        });
    }
}
