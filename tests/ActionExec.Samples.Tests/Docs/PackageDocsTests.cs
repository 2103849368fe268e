using System.Text.RegularExpressions;

namespace ActionExec.Samples.Tests.Docs;

/// <summary>What ships in the packages reads on its own: no section numbers of a specification users never see, no relative links.</summary>
public sealed partial class PackageDocsTests
{
    public static TheoryData<string> Packages => ["ActionExec.Core", "ActionExec.AspNetCore", "ActionExec.PostgreSql", "ActionExec.Grpc", "ActionExec.Testing"];

    [Theory]
    [MemberData(nameof(Packages))]
    public void XmlDocs_OfEveryPackage_CiteNoSectionNumbers(string package)
    {
        var source = Path.Combine(ReadmeQuickStartTests.RepositoryRoot(), "src", package);

        var citing = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(static f => File.ReadLines(f).Select((line, index) => (File: f, Line: index + 1, Text: line.Trim())))
            .Where(static l => l.Text.StartsWith("///", StringComparison.Ordinal) && l.Text.Contains('§', StringComparison.Ordinal))
            .Select(static l => $"{Path.GetFileName(l.File)}:{l.Line}");

        Assert.Empty(citing);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void PackageReadme_LinksAreAbsoluteAndCiteNoSectionNumbers(string package)
    {
        var readme = File.ReadAllText(Path.Combine(ReadmeQuickStartTests.RepositoryRoot(), "src", package, "README.md"));

        var relative = MarkdownLink().Matches(readme)
            .Select(static m => m.Groups["target"].Value)
            .Where(static t => !t.StartsWith("https://", StringComparison.Ordinal) && !t.StartsWith('#'));

        Assert.Empty(relative);
        Assert.DoesNotContain("§", readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MarkdownLink();
}
