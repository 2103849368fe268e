using ActionExec.Delivery;

namespace ActionExec.Tests.Delivery;

/// <summary>Records every dead letter it is told about.</summary>
public sealed class RecordingDeadLetterObserver : IDeadLetterObserver
{
    private readonly Lock _gate = new();
    private readonly List<DeadLetter> _deadLetters = [];

    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return [.. _deadLetters];
            }
        }
    }

    public ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _deadLetters.Add(deadLetter);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>An observer that always throws.</summary>
public sealed class ThrowingDeadLetterObserver : IDeadLetterObserver
{
    public ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The observer is broken.");
}
