namespace ActionExec.Testing;

/// <summary>
/// Thrown by the assertions of ActionExec.Testing when what a test expected did not happen. A plain exception, so the assertions
/// work in any test framework; its message says what was expected and lists what happened.
/// </summary>
public sealed class ActionExecAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActionExecAssertionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was expected and what happened.</param>
    public ActionExecAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What was expected and what happened.</param>
    /// <param name="innerException">The cause.</param>
    public ActionExecAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
