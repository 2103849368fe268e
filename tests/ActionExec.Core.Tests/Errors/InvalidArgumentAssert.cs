using ActionExec.Errors;

namespace ActionExec.Tests.Errors;

/// <summary>Assertions for <see cref="ActionExecErrorCode.InvalidArgument"/> errors and their violations.</summary>
internal static class InvalidArgumentAssert
{
    /// <summary>Asserts that <paramref name="action"/> throws InvalidArgument (HTTP 400) with at least one violation.</summary>
    public static ActionExecException Throws(Action action)
    {
        var exception = Assert.Throws<ActionExecException>(action);
        Assert.Equal(ActionExecErrorCode.InvalidArgument, exception.Code);
        Assert.Equal(400, exception.HttpStatusCode);
        Assert.NotEmpty(exception.Violations);
        return exception;
    }

    /// <summary>
    /// Asserts that <paramref name="action"/> throws InvalidArgument with exactly one violation, on
    /// <paramref name="field"/>, whose description contains every one of <paramref name="parts"/>;
    /// the message is that violation.
    /// </summary>
    public static FieldViolation Single(Action action, string field, params string[] parts)
    {
        var exception = Throws(action);
        var violation = Assert.Single(exception.Violations);
        Is(violation, field, parts);
        Assert.Equal(violation.ToString(), exception.Message);
        return violation;
    }

    /// <summary>Asserts the field of <paramref name="violation"/> and that its description contains every one of <paramref name="parts"/>.</summary>
    public static void Is(FieldViolation violation, string field, params string[] parts)
    {
        Assert.Equal(field, violation.Field);
        foreach (var part in parts)
        {
            Assert.Contains(part, violation.Description, StringComparison.Ordinal);
        }

        // Descriptions are whole sentences.
        Assert.EndsWith(".", violation.Description, StringComparison.Ordinal);
    }
}
