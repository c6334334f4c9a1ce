using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Switchboard.Client;
using Switchboard.EndToEnd.Tests.Infrastructure;

namespace Switchboard.EndToEnd.Tests.Console;

/// <summary>
/// The web console in a real Chromium against the real server: sign-in, every page clean (no script error, no failed
/// request, no serious accessibility finding), the queue workflow, a notification's trace, and a plain user kept out of
/// the admin pages by the server itself.
/// </summary>
public sealed class ConsoleTests(Chromium chromium, ConsoleServer fixture) : IClassFixture<Chromium>, IClassFixture<ConsoleServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Every page of the console with what it must show, and the name of its screenshot in the docs.</summary>
    public static TheoryData<string, string, string> Pages => new()
    {
        { "console", "Overview", "overview" },
        { "console/queues", "Queues", "queues" },
        { "console/channels", "Channels", "channels" },
        { "console/notifications", "Notifications", "notifications" },
        { "console/chat", "Chat", "chat" },
        { "console/admin/users", "Users and roles", "users" },
        { "console/admin/api-keys", "API keys", "api-keys" },
        { "console/admin/signing-keys", "Signing keys", "signing-keys" },
        { "console/admin/configuration", "Effective configuration", "configuration" },
    };

    private Uri Base => fixture.Server.BaseAddress;

    [Fact]
    public async Task A_browser_opening_the_root_is_sent_to_the_sign_in_page()
    {
        await using var console = await ConsoleBrowser.OpenAsync(chromium.Browser, Base);
        await console.Page.GotoAsync(console.Url(""), new() { Timeout = ConsoleBrowser.Timeout });
        await console.Page.WaitForURLAsync("**/console/signin?returnUrl=%2Fconsole", new() { Timeout = ConsoleBrowser.Timeout });
        await console.AssertAccessibleAsync();
        await Screenshot(console, "signin");
        Assert.True(console.Errors.Count == 0, string.Join("\n", console.Errors));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_api_problem_next_to_the_form_and_keeps_the_username()
    {
        await using var console = await ConsoleBrowser.OpenAsync(chromium.Browser, Base);
        await console.SignInAsync("admin", "not-the-password");

        var problem = console.Page.Locator("[role=alert][data-code]");
        await Assertions.Expect(problem).ToBeVisibleAsync(new() { Timeout = ConsoleBrowser.Timeout });
        using var http = fixture.Server.CreateClient();
        using var api = await http.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = "not-the-password" }).WaitAsync(Timeout);
        var apiProblem = await api.Content.ReadFromJsonAsync<ProblemBody>().WaitAsync(Timeout);
        Assert.Equal(apiProblem!.Code, await problem.GetAttributeAsync("data-code"));
        Assert.Equal("admin", await console.Page.InputValueAsync("#username"));
        Assert.Contains("/console/signin", console.Page.Url, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_loads_cleanly_and_has_no_serious_accessibility_violation(string path, string heading, string screenshot)
    {
        await using var console = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, "admin", ServerProcess.AdminPassword);

        var response = await console.GotoAsync(path);

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(console.Page.Locator("h1")).ToHaveTextAsync(heading, new() { Timeout = ConsoleBrowser.Timeout });
        await console.AssertAccessibleAsync();
        await Screenshot(console, screenshot);
        Assert.True(console.Errors.Count == 0, string.Join("\n", console.Errors));
    }

    [Fact]
    public async Task The_console_is_usable_at_phone_width_and_in_the_dark_theme()
    {
        await using var console = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, "admin", ServerProcess.AdminPassword, width: 390, height: 844);
        await console.GotoAsync("console/queues");
        await console.Page.ClickAsync("#theme", new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(console.Page.Locator("#theme")).ToContainTextAsync("Light theme", new() { Timeout = ConsoleBrowser.Timeout });

        // Nothing is wider than the screen but the tables, which scroll inside their own box.
        var overflow = await console.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a phone screen.");
        await console.AssertAccessibleAsync();
        await Screenshot(console, "queues-phone-dark");
        Assert.True(console.Errors.Count == 0, string.Join("\n", console.Errors));
    }

    [Fact]
    public async Task A_queue_is_created_published_to_peeked_and_redriven_from_its_dead_letter_queue()
    {
        var queue = "console-" + Guid.NewGuid().ToString("n")[..8];
        await using var console = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, "admin", ServerProcess.AdminPassword);
        await console.GotoAsync("console/queues");

        // A bad name is refused with the API's message next to the field, and what was typed stays.
        await console.Page.FillAsync("#queue-name", "$sys.not-mine");
        await console.Page.ClickAsync("#create-queue");
        await Assertions.Expect(console.Page.Locator("#name-error")).ToBeVisibleAsync(new() { Timeout = ConsoleBrowser.Timeout });
        Assert.Equal("$sys.not-mine", await console.Page.InputValueAsync("#queue-name"));

        await console.Page.FillAsync("#queue-name", queue);
        await console.Page.ClickAsync("#create-queue");
        await console.Page.WaitForURLAsync($"**/console/queues/{queue}", new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(console.Page.Locator("h1")).ToContainTextAsync(queue, new() { Timeout = ConsoleBrowser.Timeout });

        await console.Page.FillAsync("#publish-body", "{\"order\":42}");
        await console.Page.FillAsync("#publish-headers", "source=console-test");
        await console.Page.ClickAsync("#publish");
        await Assertions.Expect(console.Page.GetByTestId("published")).ToBeVisibleAsync(new() { Timeout = ConsoleBrowser.Timeout });

        await console.Page.ClickAsync("#peek");
        var message = console.Page.GetByTestId("message");
        await Assertions.Expect(message).ToContainTextAsync("{\"order\":42}", new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(message).ToContainTextAsync("source", new() { Timeout = ConsoleBrowser.Timeout });

        // A consumer rejects it into the dead-letter queue over the API; the page sees it arrive there live.
        var received = await fixture.Admin.ReceiveAsync(queue, max: 1, waitSeconds: 5).WaitAsync(Timeout);
        await fixture.Admin.NackAsync(queue, [received.Single().Lease!], reason: "console test", deadLetter: true).WaitAsync(Timeout);
        await Assertions.Expect(console.Page.GetByTestId("dlq-depth")).ToHaveTextAsync("1", new() { Timeout = ConsoleBrowser.Timeout });
        await console.Page.ClickAsync("#peek-dlq");
        await Assertions.Expect(console.Page.GetByTestId("message").Last).ToContainTextAsync("console test", new() { Timeout = ConsoleBrowser.Timeout });
        await console.AssertAccessibleAsync();
        await Screenshot(console, "queue");

        await console.Page.ClickAsync("#redrive");
        await Assertions.Expect(console.Page.GetByTestId("dlq-depth")).ToHaveTextAsync("0", new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(console.Page.GetByTestId("depth")).ToHaveTextAsync("1", new() { Timeout = ConsoleBrowser.Timeout });
        var back = await fixture.Admin.ReceiveAsync(queue, max: 1, waitSeconds: 5).WaitAsync(Timeout);
        Assert.Equal("{\"order\":42}", back.Single().Body);

        // Purge asks first.
        await console.Page.ClickAsync("#purge");
        await console.Page.ClickAsync("#purge-confirm");
        await Assertions.Expect(console.Page.GetByTestId("depth")).ToHaveTextAsync("0", new() { Timeout = ConsoleBrowser.Timeout });
        Assert.True(console.Errors.Count == 0, string.Join("\n", console.Errors));
    }

    [Fact]
    public async Task A_test_notification_is_sent_and_its_trace_opened()
    {
        await using var console = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, "admin", ServerProcess.AdminPassword);
        await console.GotoAsync("console/notifications");
        await console.Page.FillAsync("#notification-title", "Disk almost full");
        await console.Page.ClickAsync("#send-notification");

        var accepted = console.Page.GetByTestId("notification-accepted");
        await Assertions.Expect(accepted).ToBeVisibleAsync(new() { Timeout = ConsoleBrowser.Timeout });
        await console.Page.ClickAsync("#notification-link");
        await console.Page.WaitForURLAsync("**/console/notifications/*", new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(console.Page.GetByTestId("notification-title")).ToHaveTextAsync("Disk almost full", new() { Timeout = ConsoleBrowser.Timeout });
        // This server has no channel configured, so the trace says why nothing was sent.
        await Assertions.Expect(console.Page.GetByTestId("not-sent-reason")).ToBeVisibleAsync(new() { Timeout = ConsoleBrowser.Timeout });
        await console.AssertAccessibleAsync();
        await Screenshot(console, "notification-trace");
        Assert.True(console.Errors.Count == 0, string.Join("\n", console.Errors));
    }

    [Fact]
    public async Task Two_people_chat_in_one_room_and_each_sees_the_other_and_the_others_presence()
    {
        var room = "lobby-" + Guid.NewGuid().ToString("n")[..6];
        await using var admin = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, "admin", ServerProcess.AdminPassword);
        await using var user = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, ConsoleServer.UserName, ConsoleServer.UserPassword);

        await admin.GotoAsync("console/chat");
        await admin.Page.FillAsync("#room-name", room);
        await admin.Page.ClickAsync("#create-room");
        await Assertions.Expect(admin.Page.GetByTestId("conversation-title")).ToHaveTextAsync(room, new() { Timeout = ConsoleBrowser.Timeout });

        await user.GotoAsync("console/chat");
        await user.Page.GetByText($"Join {room}").ClickAsync(new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(user.Page.GetByTestId("conversation-title")).ToHaveTextAsync(room, new() { Timeout = ConsoleBrowser.Timeout });

        await admin.Page.FillAsync("#chat-text", "hello from the admin");
        await admin.Page.ClickAsync("#chat-send");
        await Assertions.Expect(user.Page.GetByTestId("chat-message").Last).ToContainTextAsync("hello from the admin", new() { Timeout = ConsoleBrowser.Timeout });

        await user.Page.FillAsync("#chat-text", "hello back from the user");
        await user.Page.ClickAsync("#chat-send");
        await Assertions.Expect(admin.Page.GetByTestId("chat-message").Last).ToContainTextAsync("hello back from the user", new() { Timeout = ConsoleBrowser.Timeout });

        // Each page counts as its person's connection, so each sees the other online.
        await Assertions.Expect(admin.Page.GetByTestId("member").Filter(new() { HasText = ConsoleServer.UserName })).ToContainTextAsync("online", new() { Timeout = ConsoleBrowser.Timeout });
        await Assertions.Expect(user.Page.GetByTestId("member").Filter(new() { HasText = "admin" })).ToContainTextAsync("online", new() { Timeout = ConsoleBrowser.Timeout });
        await admin.AssertAccessibleAsync();
        await Screenshot(admin, "chat-room");
        Assert.True(admin.Errors.Count == 0 && user.Errors.Count == 0, string.Join("\n", admin.Errors.Concat(user.Errors)));
    }

    [Fact]
    public async Task A_user_session_gets_403_from_the_server_for_every_admin_page()
    {
        await using var console = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, ConsoleServer.UserName, ConsoleServer.UserPassword);

        foreach (var path in new[] { "console/admin/users", "console/admin/signing-keys", "console/admin/configuration", "console/channels" })
        {
            var response = await console.Page.GotoAsync(console.Url(path), new() { Timeout = ConsoleBrowser.Timeout });
            Assert.Equal(403, response!.Status);
        }
        // The same cookie on a plain request: the server, not the page, refuses.
        var cookies = await console.Context.CookiesAsync();
        using var http = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "console/admin/users");
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        request.Headers.Add("Accept", "text/html");
        using var answer = await http.SendAsync(request).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);

        // The pages the user may use work, and the admin ones are not offered.
        await console.GotoAsync("console/queues");
        Assert.Equal(0, await console.Page.Locator("nav a[href='console/admin/users']").CountAsync());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_revokes_its_tokens()
    {
        await using var console = await ConsoleBrowser.SignInAsync(chromium.Browser, Base, "admin", ServerProcess.AdminPassword);
        await console.Page.ClickAsync("#signout");
        await console.Page.WaitForURLAsync("**/console/signin", new() { Timeout = ConsoleBrowser.Timeout });

        await console.Page.GotoAsync(console.Url("console/queues"), new() { Timeout = ConsoleBrowser.Timeout });
        await console.Page.WaitForURLAsync("**/console/signin?returnUrl=*", new() { Timeout = ConsoleBrowser.Timeout });
        Assert.True(console.Errors.Count == 0, string.Join("\n", console.Errors));
    }

    private static async Task Screenshot(ConsoleBrowser console, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "docs", "console");
        Directory.CreateDirectory(folder);
        await console.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false, Timeout = ConsoleBrowser.Timeout });
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Switchboard.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The tests run outside the repository; screenshots have nowhere to go.");
    }

    private sealed record ProblemBody(string Code, string? Detail);
}
