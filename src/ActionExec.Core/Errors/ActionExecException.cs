using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace ActionExec.Errors;

/// <summary>
/// The one exception type the library throws for its own errors. It carries an
/// <see cref="ActionExecErrorCode"/> (a gRPC code) and, for invalid input, every
/// <see cref="FieldViolation"/> that was found, not only the first.
/// </summary>
[SuppressMessage("Roslynator", "RCS1194:Implement exception constructors", Justification = "Every instance must carry an error code; a code-less constructor would break that.")]
public sealed class ActionExecException : Exception
{
    /// <summary>
    /// The most violations a message or an error body lists: the first ones, in order. An input can break a rule hundreds of
    /// thousands of times (a 1 MiB list of one repeated id), and an answer must not grow with it; <see cref="Violations"/>
    /// always holds every one.
    /// </summary>
    internal const int MaxListedViolations = 100;

    /// <summary>Creates an exception with a code and a message.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="message">A whole sentence that names the offending value and the fix.</param>
    public ActionExecException(ActionExecErrorCode code, string message)
        : this(code, message, [], innerException: null)
    {
    }

    /// <summary>Creates an exception with a code, a message and the violations found.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="message">A whole sentence that names the offending value and the fix.</param>
    /// <param name="violations">Every violation found; may be empty.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="violations"/> is null.</exception>
    public ActionExecException(
        ActionExecErrorCode code,
        string message,
        IEnumerable<FieldViolation> violations,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(violations);
        Code = code;
        Violations = [.. violations];
    }

    /// <summary>The error code (the gRPC status code).</summary>
    public ActionExecErrorCode Code { get; }

    /// <summary>The HTTP status code that represents <see cref="Code"/>.</summary>
    public int HttpStatusCode => ForwardedHttpStatusCode ?? Code.ToHttpStatusCode();

    /// <summary>
    /// An HTTP status that overrides the mapping of <see cref="Code"/>: a 4xx a target forwarded (<c>forwardedStatusCode</c>),
    /// or a transport status such as 413 or 415 from the HTTP layer; <see langword="null"/> otherwise.
    /// </summary>
    public int? ForwardedHttpStatusCode { get; init; }

    /// <summary>Every violation found in the input; empty for errors that are not about a field.</summary>
    public ImmutableArray<FieldViolation> Violations { get; }

    /// <summary>Creates an <see cref="ActionExecErrorCode.InvalidArgument"/> error for a list of violations.</summary>
    /// <param name="violations">The violations; at least one.</param>
    /// <returns>The exception; its message counts the violations and lists every one, or the first 100 of more.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="violations"/> is null.</exception>
    public static ActionExecException InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var message = violations.Count switch
        {
            0 => "The input is invalid.",
            1 => violations[0].ToString(),
            <= MaxListedViolations => $"The input has {violations.Count} problems. " + string.Join(" ", violations),
            _ => $"The input has {violations.Count} problems; the first {MaxListedViolations} follow. " + string.Join(" ", violations.Take(MaxListedViolations)),
        };
        return new ActionExecException(ActionExecErrorCode.InvalidArgument, message, violations);
    }

    /// <summary>Creates an <see cref="ActionExecErrorCode.InvalidArgument"/> error for one field.</summary>
    /// <param name="field">The path of the field.</param>
    /// <param name="description">What is wrong and how to fix it.</param>
    /// <returns>The exception.</returns>
    public static ActionExecException InvalidArgument(string field, string description) =>
        InvalidArgument([new FieldViolation(field, description)]);
}
