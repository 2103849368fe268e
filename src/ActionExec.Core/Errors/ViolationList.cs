namespace ActionExec.Errors;

/// <summary>Collects violations during validation, so that every problem is reported at once.</summary>
internal sealed class ViolationList
{
    private List<FieldViolation>? _items;

    public bool HasAny => _items is { Count: > 0 };

    public int Count => _items?.Count ?? 0;

    public IReadOnlyList<FieldViolation> Items => _items ?? (IReadOnlyList<FieldViolation>)[];

    public void Add(string field, string description) => (_items ??= []).Add(new FieldViolation(field, description));

    public void AddRange(IEnumerable<FieldViolation> violations) => (_items ??= []).AddRange(violations);

    /// <summary>Throws <see cref="ActionExecErrorCode.InvalidArgument"/> when anything was collected.</summary>
    public void ThrowIfAny()
    {
        if (HasAny)
        {
            throw ActionExecException.InvalidArgument(_items!);
        }
    }
}
