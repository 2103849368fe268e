using System.Text;
using System.Text.RegularExpressions;
using ActionExec.AspNetCore.Dashboard;
using Microsoft.AspNetCore.Http;

namespace ActionExec.AspNetCore.Tests.Dashboard;

/// <summary>
/// Rules every file of the dashboard keeps, whoever adds a page: the page works under the strict CSP (no inline script or
/// style, nothing from another origin) and nothing parses data as HTML.
/// </summary>
public sealed partial class DashboardAssetsTests
{
    public static TheoryData<string> Scripts => [.. DashboardAssets.Shared.Paths.Where(static p => p.EndsWith(".js", StringComparison.Ordinal))];

    [Fact]
    public void Paths_Shell_EveryFileOfTheShellEmbedded()
    {
        Assert.Superset(
            new HashSet<string>(["index.html", "app.js", "api.js", "dom.js", "app.css", "pages/targets.js", "pages/deliveries.js", "pages/console.js"], StringComparer.Ordinal),
            DashboardAssets.Shared.Paths.ToHashSet(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_AnyPage_NeverParsesHtmlNorLoadsFromElsewhere(string path)
    {
        var text = await ReadAsync(path);
        var allowed = string.Equals(path, "dom.js", StringComparison.Ordinal) ? text.Replace("'innerHTML', 'outerHTML'", "", StringComparison.Ordinal) : text;

        Assert.DoesNotMatch(HtmlSinks(), allowed);
        Assert.DoesNotMatch(OtherOrigin(), text);
    }

    [Fact]
    public async Task Index_Page_HasNoInlineScriptOrStyleAndNothingFromElsewhere()
    {
        var index = await ReadAsync("index.html");

        Assert.All(ScriptTags().Matches(index), static tag => Assert.Contains(" src=", tag.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("<style", index, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", index, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(OtherOrigin(), index);
    }

    private static async Task<string> ReadAsync(string path)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        Assert.True(await DashboardAssets.Shared.TryWriteAsync(context, path));
        return Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment", RegexOptions.None, 1000)]
    private static partial Regex HtmlSinks();

    [GeneratedRegex(@"(src|href)\s*=\s*[""']?(https?:)?//|@import|url\(\s*['""]?https?:", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex OtherOrigin();

    [GeneratedRegex(@"<script[^>]*>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex ScriptTags();
}
