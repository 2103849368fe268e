using ActionExec.Errors;

namespace ActionExec.Tests.Errors;

public sealed class ViolationListTests
{
    [Fact]
    public void ThrowIfAny_Nothing_DoesNotThrow()
    {
        var violations = new ViolationList();

        violations.ThrowIfAny();

        Assert.False(violations.HasAny);
        Assert.Equal(0, violations.Count);
        Assert.Empty(violations.Items);
    }

    [Fact]
    public void ThrowIfAny_Collected_ThrowsInvalidArgumentWithEveryViolationInOrder()
    {
        var violations = new ViolationList();
        violations.Add("a", "First.");
        violations.AddRange([new FieldViolation("b", "Second."), new FieldViolation("c", "Third.")]);

        var exception = InvalidArgumentAssert.Throws(violations.ThrowIfAny);

        Assert.Equal(
            new[] { new FieldViolation("a", "First."), new FieldViolation("b", "Second."), new FieldViolation("c", "Third.") },
            exception.Violations);
        Assert.Equal(3, violations.Count);
    }
}
