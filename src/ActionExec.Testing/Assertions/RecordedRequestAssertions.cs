using System.Globalization;
using System.Text;

namespace ActionExec.Testing;

/// <summary>
/// Assertions over the requests a <see cref="RecordingTargetInvoker"/> recorded, read as sentences:
/// <c>host.Invoker.Requests.ShouldHaveCalledInOrder("validate", "audit")</c>. Targets are named by name or id. A failed assertion
/// throws an <see cref="ActionExecAssertionException"/> whose message lists every request recorded.
/// </summary>
public static class RecordedRequestAssertions
{
    /// <summary>The requests to one target, in order.</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNameOrId">The target's name or id.</param>
    /// <returns>Its requests; empty when it was not called.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNameOrId"/> is null or empty.</exception>
    public static IReadOnlyList<RecordedTargetRequest> To(this IReadOnlyList<RecordedTargetRequest> requests, string targetNameOrId)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentException.ThrowIfNullOrEmpty(targetNameOrId);
        return [.. requests.Where(r => Is(r, targetNameOrId))];
    }

    /// <summary>Asserts that a target was called at least once.</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNameOrId">The target's name or id.</param>
    /// <returns>Its first request, to assert on its payload.</returns>
    /// <exception cref="ActionExecAssertionException">The target was not called.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNameOrId"/> is null or empty.</exception>
    public static RecordedTargetRequest ShouldHaveCalled(this IReadOnlyList<RecordedTargetRequest> requests, string targetNameOrId)
    {
        var calls = requests.To(targetNameOrId);
        if (calls.Count == 0)
        {
            throw Fail($"Expected a call to target '{targetNameOrId}', but it was not called.", requests);
        }

        return calls[0];
    }

    /// <summary>Asserts that a target was called exactly <paramref name="times"/> times (retries count).</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNameOrId">The target's name or id.</param>
    /// <param name="times">How many calls are expected.</param>
    /// <returns>Its requests, in order.</returns>
    /// <exception cref="ActionExecAssertionException">The target was called another number of times.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNameOrId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is negative.</exception>
    public static IReadOnlyList<RecordedTargetRequest> ShouldHaveCalled(this IReadOnlyList<RecordedTargetRequest> requests, string targetNameOrId, int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        var calls = requests.To(targetNameOrId);
        if (calls.Count != times)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"Expected {Calls(times)} to target '{targetNameOrId}', but it got {Calls(calls.Count)}."), requests);
        }

        return calls;
    }

    /// <summary>Asserts that a target was called exactly once.</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNameOrId">The target's name or id.</param>
    /// <returns>Its request.</returns>
    /// <exception cref="ActionExecAssertionException">The target was not called, or more than once.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNameOrId"/> is null or empty.</exception>
    public static RecordedTargetRequest ShouldHaveCalledOnce(this IReadOnlyList<RecordedTargetRequest> requests, string targetNameOrId) =>
        requests.ShouldHaveCalled(targetNameOrId, 1)[0];

    /// <summary>Asserts that a target was not called.</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNameOrId">The target's name or id.</param>
    /// <exception cref="ActionExecAssertionException">The target was called.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNameOrId"/> is null or empty.</exception>
    public static void ShouldNotHaveCalled(this IReadOnlyList<RecordedTargetRequest> requests, string targetNameOrId)
    {
        var calls = requests.To(targetNameOrId);
        if (calls.Count > 0)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"Expected no call to target '{targetNameOrId}', but it got {Calls(calls.Count)}."), requests);
        }
    }

    /// <summary>Asserts that no target was called.</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <exception cref="ActionExecAssertionException">A target was called.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    public static void ShouldHaveCalledNothing(this IReadOnlyList<RecordedTargetRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count > 0)
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"Expected no target to be called, but {Calls(requests.Count)} were made."), requests);
        }
    }

    /// <summary>
    /// Asserts that the targets were called in this order: each one's first call after the previous one's. Other calls may come
    /// before, between and after; use <see cref="ShouldHaveCalledExactly"/> to rule them out.
    /// </summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNamesOrIds">The targets, in the expected order.</param>
    /// <returns>The matching requests, one per target, in order.</returns>
    /// <exception cref="ActionExecAssertionException">A target was not called after the one before it.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> or <paramref name="targetNamesOrIds"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNamesOrIds"/> is empty or holds an empty name.</exception>
    public static IReadOnlyList<RecordedTargetRequest> ShouldHaveCalledInOrder(this IReadOnlyList<RecordedTargetRequest> requests, params string[] targetNamesOrIds)
    {
        ArgumentNullException.ThrowIfNull(requests);
        CheckNames(targetNamesOrIds);
        var found = new List<RecordedTargetRequest>(targetNamesOrIds.Length);
        var from = 0;
        foreach (var target in targetNamesOrIds)
        {
            var index = IndexOf(requests, target, from);
            if (index < 0)
            {
                var after = found.Count == 0 ? "" : $" after '{targetNamesOrIds[found.Count - 1]}'";
                throw Fail($"Expected calls to {Quoted(targetNamesOrIds)} in that order, but '{target}' was not called{after}.", requests);
            }

            found.Add(requests[index]);
            from = index + 1;
        }

        return found;
    }

    /// <summary>Asserts that exactly these calls were made, in this order, and no others (a retry is a call of its own).</summary>
    /// <param name="requests">The recorded requests.</param>
    /// <param name="targetNamesOrIds">The targets of every call, in order.</param>
    /// <exception cref="ActionExecAssertionException">Other calls were made, or in another order.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> or <paramref name="targetNamesOrIds"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetNamesOrIds"/> holds an empty name.</exception>
    public static void ShouldHaveCalledExactly(this IReadOnlyList<RecordedTargetRequest> requests, params string[] targetNamesOrIds)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(targetNamesOrIds);
        foreach (var target in targetNamesOrIds)
        {
            ArgumentException.ThrowIfNullOrEmpty(target, nameof(targetNamesOrIds));
        }

        var same = requests.Count == targetNamesOrIds.Length;
        for (var i = 0; same && i < requests.Count; i++)
        {
            same = Is(requests[i], targetNamesOrIds[i]);
        }

        if (!same)
        {
            var expected = targetNamesOrIds.Length == 0 ? "no calls" : $"exactly the calls {Quoted(targetNamesOrIds)}";
            throw Fail($"Expected {expected}, in that order.", requests);
        }
    }

    private static bool Is(RecordedTargetRequest request, string targetNameOrId) =>
        string.Equals(request.TargetId, targetNameOrId, StringComparison.Ordinal) || string.Equals(request.TargetName, targetNameOrId, StringComparison.Ordinal);

    private static int IndexOf(IReadOnlyList<RecordedTargetRequest> requests, string target, int from)
    {
        for (var i = from; i < requests.Count; i++)
        {
            if (Is(requests[i], target))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckNames(string[] targetNamesOrIds)
    {
        ArgumentNullException.ThrowIfNull(targetNamesOrIds);
        if (targetNamesOrIds.Length == 0)
        {
            throw new ArgumentException("Name at least one target.", nameof(targetNamesOrIds));
        }

        foreach (var target in targetNamesOrIds)
        {
            ArgumentException.ThrowIfNullOrEmpty(target, nameof(targetNamesOrIds));
        }
    }

    private static string Calls(int count) => count == 1 ? "1 call" : string.Create(CultureInfo.InvariantCulture, $"{count} calls");

    private static string Quoted(string[] targets) => string.Join(", ", targets.Select(static t => $"'{t}'"));

    private static ActionExecAssertionException Fail(string expectation, IReadOnlyList<RecordedTargetRequest> requests)
    {
        var message = new StringBuilder(expectation);
        if (requests.Count == 0)
        {
            message.Append(" No target was called.");
        }
        else
        {
            message.Append(CultureInfo.InvariantCulture, $" The calls made ({requests.Count}):");
            foreach (var request in requests)
            {
                message.AppendLine().Append("  ").Append(request);
            }
        }

        return new ActionExecAssertionException(message.ToString());
    }
}
