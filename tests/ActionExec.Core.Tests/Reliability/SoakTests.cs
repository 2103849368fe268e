using ActionExec.Soak;

namespace ActionExec.Tests.Reliability;

/// <summary>The soak command, run in-process for a few seconds: every answer right, nothing lost, nothing unhandled.</summary>
[Collection(LoadCollection.Name)]
public sealed class SoakTests
{
    [Fact]
    public async Task RunAsync_FiveSeconds_PassesAndPrintsOneLineOfFigures()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await SoakRunner.RunAsync(["--seconds", "5"], output, errors, CancellationToken.None);

        Assert.True(code == SoakRunner.Success, $"The soak failed with exit code {code}:\n{output}{errors}");
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Matches(@"^soak \d+\.\d s: lookups/s=[1-9]\d* flows/s=[1-9]\d* mutations=[1-9]\d* .* deliveries enqueued=[1-9]\d* delivered=\d+ dead-lettered=\d+ \(expired: \d+\) rejected=\d+ lost=0 mismatches=0 unhandled=0 peak-working-set=\d+ MiB => PASS$", line);
        Assert.Empty(errors.ToString());
    }

    [Theory]
    [InlineData(new[] { "--minutes", "5" }, "The argument '--minutes' is not understood; the options are --seconds N, such as --seconds 20, and --postgres.")]
    [InlineData(new[] { "--seconds", "0" }, "--seconds is '0'; give a number of seconds greater than 0 and at most 86400, such as 20.")]
    [InlineData(new[] { "--seconds", "soon" }, "--seconds is 'soon'; give a number of seconds greater than 0 and at most 86400, such as 20.")]
    [InlineData(new[] { "--seconds" }, "The argument '--seconds' is not understood; the options are --seconds N, such as --seconds 20, and --postgres.")]
    public async Task RunAsync_ArgumentsNotUnderstood_ExitsWithTwoSayingWhyWithoutRunning(string[] args, string message)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await SoakRunner.RunAsync(args, output, errors, CancellationToken.None);

        Assert.Equal(SoakRunner.BadArguments, code);
        Assert.Empty(output.ToString());
        Assert.Equal(message, errors.ToString().TrimEnd());
    }
}
