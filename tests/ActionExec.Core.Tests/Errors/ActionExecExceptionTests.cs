using ActionExec.Errors;

namespace ActionExec.Tests.Errors;

public sealed class ActionExecExceptionTests
{
    [Fact]
    public void Constructor_CodeAndMessage_HasNoViolations()
    {
        var exception = new ActionExecException(ActionExecErrorCode.NotFound, "The target 't1' does not exist.");

        Assert.Equal(ActionExecErrorCode.NotFound, exception.Code);
        Assert.Equal(404, exception.HttpStatusCode);
        Assert.Equal("The target 't1' does not exist.", exception.Message);
        Assert.Empty(exception.Violations);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public void Constructor_Violations_AreCopied()
    {
        var violations = new List<FieldViolation> { new("name", "The name is empty.") };
        var inner = new InvalidOperationException("Inner.");

        var exception = new ActionExecException(ActionExecErrorCode.InvalidArgument, "Invalid.", violations, inner);
        violations.Add(new FieldViolation("endpoint", "Later."));

        Assert.Equal(new[] { new FieldViolation("name", "The name is empty.") }, exception.Violations);
        Assert.Same(inner, exception.InnerException);
    }

    [Fact]
    public void Constructor_NullViolations_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new ActionExecException(ActionExecErrorCode.Internal, "Bug.", null!));
    }

    [Fact]
    public void InvalidArgument_OneViolation_MessageIsThatViolation()
    {
        var exception = ActionExecException.InvalidArgument("condition.request.method", "The method must not be empty.");

        Assert.Equal(ActionExecErrorCode.InvalidArgument, exception.Code);
        Assert.Equal(400, exception.HttpStatusCode);
        Assert.Equal("condition.request.method: The method must not be empty.", exception.Message);
        Assert.Equal(new[] { new FieldViolation("condition.request.method", "The method must not be empty.") }, exception.Violations);
    }

    [Fact]
    public void InvalidArgument_SeveralViolations_MessageCountsAndListsEveryOne()
    {
        FieldViolation[] violations =
        [
            new("name", "The name is empty; give a name of 1 to 1000 characters."),
            new("endpoint", "The endpoint 'x' is not an absolute URI."),
            new("timeout", "The timeout 0s is not greater than zero."),
        ];

        var exception = ActionExecException.InvalidArgument(violations);

        Assert.Equal(
            "The input has 3 problems. name: The name is empty; give a name of 1 to 1000 characters. endpoint: The endpoint 'x' is not an absolute URI. timeout: The timeout 0s is not greater than zero.",
            exception.Message);
        Assert.Equal(violations, exception.Violations);
    }

    [Fact]
    public void InvalidArgument_100Violations_MessageListsEveryOne()
    {
        var violations = Enumerable.Range(0, 100).Select(i => new FieldViolation($"targets[{i}]", "Broken.")).ToArray();

        var exception = ActionExecException.InvalidArgument(violations);

        Assert.Equal("The input has 100 problems. " + string.Join(" ", violations.Select(v => $"{v.Field}: Broken.")), exception.Message);
    }

    [Fact]
    public void InvalidArgument_MoreThan100Violations_MessageCountsAllListsTheFirst100AndKeepsEveryOne()
    {
        var violations = Enumerable.Range(0, 250).Select(i => new FieldViolation($"targets[{i}]", "Broken.")).ToArray();

        var exception = ActionExecException.InvalidArgument(violations);

        var listed = string.Join(" ", Enumerable.Range(0, 100).Select(i => $"targets[{i}]: Broken."));
        Assert.Equal("The input has 250 problems; the first 100 follow. " + listed, exception.Message);
        Assert.Equal(violations, exception.Violations);
    }

    [Fact]
    public void InvalidArgument_NoViolations_SaysTheInputIsInvalid()
    {
        var exception = ActionExecException.InvalidArgument([]);

        Assert.Equal("The input is invalid.", exception.Message);
        Assert.Empty(exception.Violations);
    }

    [Fact]
    public void InvalidArgument_ViolationWithoutField_IsItsDescription()
    {
        Assert.Equal("The body is not JSON.", ActionExecException.InvalidArgument("", "The body is not JSON.").Message);
    }
}
