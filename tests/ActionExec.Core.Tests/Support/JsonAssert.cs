using System.Text;
using ActionExec.Errors;

namespace ActionExec.Tests.Support;

/// <summary>Helpers shared by the wire-format tests.</summary>
internal static class JsonAssert
{
    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>Asserts an InvalidArgument error whose violations are exactly <paramref name="expected"/>, in order.</summary>
    public static ActionExecException Invalid(Action action, params (string Field, string Description)[] expected)
    {
        var exception = Assert.Throws<ActionExecException>(action);
        Assert.Equal(ActionExecErrorCode.InvalidArgument, exception.Code);
        Assert.Equal(expected, exception.Violations.Select(v => (v.Field, v.Description)));
        return exception;
    }
}
