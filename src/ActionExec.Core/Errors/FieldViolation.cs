namespace ActionExec.Errors;

/// <summary>
/// One problem found in the input: the path of the offending field (for example
/// <c>condition.request.method</c> or <c>targets[2]</c>) and a sentence that names the value and says what
/// would be valid. The shape of <c>google.rpc.BadRequest.FieldViolation</c>.
/// </summary>
/// <param name="Field">The path of the field, in the lowerCamelCase JSON naming of the wire format.</param>
/// <param name="Description">What is wrong and how to fix it.</param>
public sealed record FieldViolation(string Field, string Description)
{
    /// <inheritdoc />
    public override string ToString() => string.IsNullOrEmpty(Field) ? Description : $"{Field}: {Description}";
}
