using Microsoft.Extensions.Configuration;
using Switchboard.Errors;
using Switchboard.Server.WebConsole.Admin.Configuration;
using Switchboard.Server.WebConsole.Shared;
using SignInPage = Switchboard.Server.WebConsole.SignIn.Page;
using QueuePage = Switchboard.Server.WebConsole.Queue.Page;

namespace Switchboard.Server.Tests.Console;

/// <summary>The console's own small decisions that a browser test would only see indirectly.</summary>
public sealed class ConsoleInputTests
{
    [Theory]
    [InlineData("Identity:BootstrapAdminPassword")]
    [InlineData("Channels:Instances:ops:BotToken")]
    [InlineData("Channels:Instances:team:WebhookUrl")]
    [InlineData("Channels:Instances:meta:AppSecret")]
    [InlineData("Storage:Postgres:ConnectionString")]
    [InlineData("Chat:Redis:Configuration:Password")]
    [InlineData("Identity:ExternalIssuers:0:ClientSecret")]
    [InlineData("Channels:Smtp:ApiKey")]
    public void Secret_settings_are_redacted(string key) => Assert.True(ConfigurationView.IsSecret(key), key);

    [Theory]
    [InlineData("Storage:Engine")]
    [InlineData("Identity:AccessTokenMinutes")]
    [InlineData("Broker:MaxBatchMessages")]
    [InlineData("Http:RateLimits:AuthPerIpPerMinute")]
    public void Plain_settings_are_shown(string key) => Assert.False(ConfigurationView.IsSecret(key), key);

    [Fact]
    public void Only_switchboard_sections_are_listed_and_secrets_are_masked()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Engine"] = "sqlite",
            ["Identity:BootstrapAdminPassword"] = "hunter2",
            ["PATH"] = "/usr/bin",
            ["HOME"] = "/root",
        }).Build();

        var settings = ConfigurationView.Read(configuration).ToDictionary(s => s.Key, s => s.Value);

        Assert.Equal("sqlite", settings["Storage:Engine"]);
        Assert.Equal(ConfigurationView.Redacted, settings["Identity:BootstrapAdminPassword"]);
        Assert.DoesNotContain("PATH", settings.Keys);
        Assert.DoesNotContain("hunter2", settings.Values);
    }

    [Theory]
    [InlineData(null, "/console")]
    [InlineData("/console/queues/orders", "/console/queues/orders")]
    [InlineData("https://evil.example/console", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/console\\@evil.example", "/console")]
    [InlineData("/v1/admin/users", "/console")]
    [InlineData("/console/signin?returnUrl=/console", "/console")]
    public void Sign_in_returns_only_to_a_console_page(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignInPage.SafeReturnUrl(returnUrl));

    [Fact]
    public void Header_lines_become_headers_and_a_malformed_line_is_a_problem_on_the_headers_field()
    {
        var headers = QueuePage.ParseHeaders("source=console\n trace = abc=def \n");
        Assert.Equal("console", headers!["source"]);
        Assert.Equal("abc=def", headers["trace"]);
        Assert.Null(QueuePage.ParseHeaders("  "));

        var error = Assert.Throws<SwitchboardException>(() => QueuePage.ParseHeaders("no equals sign"));
        Assert.Equal(["headers"], Problem.From(error).Errors.Keys);
    }

    [Fact]
    public void A_problem_about_one_field_is_shown_at_that_field_and_nowhere_else()
    {
        var problem = Problem.From(new SwitchboardException(ErrorCodes.InvalidName, "The queue name '$x' is not valid."));
        string[] nameCodes = [ErrorCodes.InvalidName.Code];

        Assert.Equal(["The queue name '$x' is not valid."], problem.For("name", nameCodes));
        Assert.Empty(problem.For("name"));
        Assert.False(problem.Unplaced(nameCodes));
        Assert.True(problem.Unplaced());
    }
}
