using System.Text.RegularExpressions;
using Switchboard.Errors;

namespace Switchboard.Core.Tests.Errors;

/// <summary>docs/api.md lists every error code clients may see, with its status: the table must follow the catalogue.</summary>
public sealed partial class ErrorCatalogueDocsTests
{
    [GeneratedRegex(@"^\| `(?<code>[a-z0-9_]+)` \| (?<status>\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public void The_api_documentation_lists_every_error_code_with_its_status_and_nothing_else()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var documented = Row().Matches(File.ReadAllText(Path.Combine(root.FullName, "docs", "api.md")))
            .ToDictionary(m => m.Groups["code"].Value, m => int.Parse(m.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture));

        var missing = ErrorCodes.All.Where(c => !documented.ContainsKey(c.Code)).Select(c => c.Code).ToArray();
        var wrongStatus = ErrorCodes.All.Where(c => documented.TryGetValue(c.Code, out var s) && s != c.Status).Select(c => c.Code).ToArray();
        var stale = documented.Keys.Where(k => ErrorCodes.All.All(c => c.Code != k)).ToArray();

        Assert.True(missing.Length == 0, $"docs/api.md lacks: {string.Join(", ", missing)}");
        Assert.True(wrongStatus.Length == 0, $"docs/api.md has the wrong status for: {string.Join(", ", wrongStatus)}");
        Assert.True(stale.Length == 0, $"docs/api.md lists codes that no longer exist: {string.Join(", ", stale)}");
    }
}
