using Microsoft.Extensions.Primitives;

namespace ActionExec.Tests.Support;

/// <summary>A change token that never fires, as a store without change notifications returns.</summary>
public sealed class NeverChangeToken : IChangeToken
{
    public static NeverChangeToken Instance { get; } = new();

    public bool HasChanged => false;

    public bool ActiveChangeCallbacks => false;

    public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => EmptyDisposable.Instance;

    private sealed class EmptyDisposable : IDisposable
    {
        public static EmptyDisposable Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
