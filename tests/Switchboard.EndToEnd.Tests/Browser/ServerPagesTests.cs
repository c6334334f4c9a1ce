using Microsoft.Playwright;
using Switchboard.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Browser;

/// <summary>
/// The pages the server serves to people, rendered by a real Chromium against the real server process: they must work
/// offline (nothing from a CDN) and under the server's Content-Security-Policy, with no script errors.
/// </summary>
public sealed class ServerPagesTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(Path.Combine(Path.GetTempPath(), "switchboard-e2e", Guid.NewGuid().ToString("n"))).WaitAsync(Timeout);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_interactive_api_docs_render_the_operations_without_script_errors()
    {
        var (page, errors) = await OpenAsync("docs");

        // Scalar fetches /openapi/v1.json and renders the operations tag by tag, a tag's list once it is in view: open
        // the Queues tag from the sidebar, then one operation from each end of it will do.
        await page.GetByText("Queues", new() { Exact = true }).First.ClickAsync(new() { Timeout = 60_000 });
        await page.GetByText("/v1/queues/{name}/stats").First.WaitForAsync(new() { Timeout = 60_000 });
        await page.GetByText("Publish one message or a batch").First.WaitForAsync(new() { Timeout = 60_000 });

        Assert.Contains("Switchboard", await page.TitleAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_graphql_console_runs_a_query_with_a_token_typed_into_it()
    {
        using var client = new SwitchboardClient(_server.BaseAddress);
        var token = (await client.LoginAsync("admin", ServerProcess.AdminPassword).WaitAsync(Timeout)).AccessToken;
        var (page, errors) = await OpenAsync("graphql/ui");

        await page.FillAsync("#token", token);
        await page.ClickAsync("#run");
        var result = page.Locator("#result");
        await Assertions.Expect(result).ToContainTextAsync("HTTP 200", new() { Timeout = 60_000 });

        Assert.Contains("\"queues\"", await result.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    /// <summary>Opens a page, collecting script errors, failed requests and console errors (CSP violations land there).</summary>
    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string path)
    {
        var page = await chromium.Browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add("page error: " + message);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add("console: " + message.Text);
            }
        };
        page.RequestFailed += (_, request) => errors.Add($"request failed: {request.Url} ({request.Failure})");
        var response = await page.GotoAsync(new Uri(_server.BaseAddress, path).ToString(), new() { Timeout = 60_000, WaitUntil = WaitUntilState.NetworkIdle });
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return (page, errors);
    }
}
