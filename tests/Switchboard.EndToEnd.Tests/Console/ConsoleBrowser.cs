using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Switchboard.EndToEnd.Tests.Console;

/// <summary>
/// A signed-in console page in its own browser context, recording every script error, console error and failed
/// request, so a test can assert that a page worked cleanly and not only that it showed something.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const float Timeout = 30_000;

    private ConsoleBrowser(IBrowserContext context, IPage page, Uri baseAddress)
    {
        Context = context;
        Page = page;
        BaseAddress = baseAddress;
        page.PageError += (_, message) => Errors.Add("page error: " + message);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add("console: " + message.Text);
            }
        };
        page.RequestFailed += (_, request) => Errors.Add($"request failed: {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
            {
                Errors.Add($"server error: {response.Status} {response.Url}");
            }
        };
        page.SetDefaultTimeout(Timeout);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    public List<string> Errors { get; } = [];

    public static async Task<ConsoleBrowser> OpenAsync(IBrowser browser, Uri baseAddress, int width = 1280, int height = 720)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        return new ConsoleBrowser(context, page, baseAddress);
    }

    public static async Task<ConsoleBrowser> SignInAsync(IBrowser browser, Uri baseAddress, string username, string password, int width = 1280, int height = 720)
    {
        var console = await OpenAsync(browser, baseAddress, width, height);
        await console.SignInAsync(username, password);
        await console.WaitInteractiveAsync();
        return console;
    }

    public async Task SignInAsync(string username, string password)
    {
        await Page.GotoAsync(Url("console"), new() { Timeout = Timeout });
        await Page.WaitForURLAsync("**/console/signin**", new() { Timeout = Timeout });
        await Page.FillAsync("#username", username, new() { Timeout = Timeout });
        await Page.FillAsync("#password", password, new() { Timeout = Timeout });
        await Page.ClickAsync("#signin", new() { Timeout = Timeout });
    }

    /// <summary>Opens a console page with a full page load and waits until its circuit runs it.</summary>
    public async Task<IResponse?> GotoAsync(string path)
    {
        var response = await Page.GotoAsync(Url(path), new() { Timeout = Timeout });
        await WaitInteractiveAsync();
        return response;
    }

    public async Task WaitInteractiveAsync()
    {
        try
        {
            await Page.Locator(".shell[data-interactive=true]").WaitForAsync(new() { Timeout = Timeout });
        }
        catch (TimeoutException timeout)
        {
            // Say why: the page's errors are what a person would look at first.
            throw new TimeoutException($"{Page.Url} never became interactive. Errors: {string.Join(" | ", Errors)}", timeout);
        }
    }

    /// <summary>Fails with every serious or critical axe-core finding on the page as it is now.</summary>
    public async Task AssertAccessibleAsync()
    {
        var violations = await AccessibilityViolationsAsync();
        Assert.True(violations.Count == 0, $"{Page.Url}:\n" + string.Join("\n", violations));
    }

    /// <summary>axe-core's serious and critical findings on the page as it is now.</summary>
    public async Task<IReadOnlyList<string>> AccessibilityViolationsAsync()
    {
        var result = await Page.RunAxe().WaitAsync(TimeSpan.FromMilliseconds(Timeout));
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            .ToArray();
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
