namespace ActionExec.Samples.Tests.Docs;

/// <summary>
/// The quick start in the repository README and in the Core package README is the code of
/// <c>samples/ActionExec.Samples.QuickStartSnippet/Program.cs</c>, which builds with the solution: so the quick start compiles.
/// </summary>
public sealed class ReadmeQuickStartTests
{
    private const string Start = "<!-- quick start: samples/ActionExec.Samples.QuickStartSnippet/Program.cs -->";

    private const string End = "<!-- end of quick start -->";

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/ActionExec.Core/README.md")]
    public void QuickStart_ReadmeBlock_IsTheSnippetProgramVerbatim(string readme)
    {
        var root = RepositoryRoot();
        var program = File.ReadAllText(Path.Combine(root, "samples", "ActionExec.Samples.QuickStartSnippet", "Program.cs"));
        var text = File.ReadAllText(Path.Combine(root, readme));

        var block = QuickStartBlock(text, readme);

        Assert.Equal(Normalize(program), Normalize(block));
    }

    private static string QuickStartBlock(string text, string readme)
    {
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{readme} has no quick start between '{Start}' and '{End}'.");
        var block = Normalize(text[(start + Start.Length)..end]);
        const string Fence = "```csharp\n";
        Assert.True(block.StartsWith(Fence, StringComparison.Ordinal) && block.EndsWith("\n```", StringComparison.Ordinal), $"The quick start of {readme} is not one csharp code block.");
        return block[Fence.Length..^3];
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n', ' ');

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ActionExec.Core.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ActionExec.Core.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
