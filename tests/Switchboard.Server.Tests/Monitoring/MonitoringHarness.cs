using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Channels;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>
/// A server with the fake channel providers and a fake upstream: the providers' telegram instance is down (every call
/// 500), route <c>primary</c> falls back from it to slack, <c>managers</c> is the webhook, <c>directors</c> discord.
/// Rules are evaluated every 200 ms.
/// </summary>
internal sealed class MonitoringHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private MonitoringHarness(ChannelHarness channels, FakeUpstream upstream)
    {
        Channels = channels;
        Upstream = upstream;
    }

    public ChannelHarness Channels { get; }

    public FakeUpstream Upstream { get; }

    public FakeProviders Fake => Channels.Fake;

    public HttpClient Client => Channels.Client;

    public static async Task<MonitoringHarness> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var upstream = await FakeUpstream.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Instances:tg:DefaultRecipient"] = "4242",
            ["Channels:Routes:primary:0"] = "tg",
            ["Channels:Routes:primary:1"] = "slack",
            ["Channels:Routes:managers:0"] = "hook",
            ["Channels:Routes:directors:0"] = "discord",
            ["Channels:Delivery:MaxAttempts"] = "1",
            ["Monitoring:EvaluationInterval"] = "00:00:00.200",
            ["Monitoring:DefaultRules:Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var channels = await ChannelHarness.StartAsync(settings, fake =>
            fake.Behaviour = call => call.Provider == "telegram" ? new FakeReply(500, """{"ok":false,"error_code":500,"description":"Internal Server Error"}""") : null);
        return new MonitoringHarness(channels, upstream);
    }

    /// <summary>An HTTP monitor of the upstream, checked every second, down after the check and two retries fail.</summary>
    public Task CreateMonitorAsync(string id = "api") =>
        Channels.PostAsync("v1/monitors", new
        {
            id, name = "Payments API", kind = "http", url = Upstream.HealthUrl.ToString(), intervalSeconds = 1, timeoutSeconds = 2, retries = 2,
            keyword = "ok", labels = new Dictionary<string, string> { ["team"] = "payments" },
        }, HttpStatusCode.Created);

    /// <summary>Fires when the monitor has been down for a second; escalates after 2 s without an acknowledgement.</summary>
    public Task CreateDownRuleAsync(string monitor = "api") =>
        Channels.PostAsync("v1/alert-rules", new
        {
            id = monitor + "-down", signal = "monitor_down", @operator = "==", threshold = 1, forSeconds = 1, severity = "critical",
            monitors = new[] { monitor }, routes = new[] { "primary", "managers", "directors" }, escalateAfterSeconds = 2,
            annotations = new Dictionary<string, string> { ["summary"] = "{{monitor}} is down", ["runbook"] = "https://runbooks.example/{{labels.team}}" },
        }, HttpStatusCode.Created);

    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> until, string what)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var body = await Channels.GetAsync(path);
            if (until(body))
            {
                return body;
            }
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting for {what}; last {path}: {body}");
            await Task.Delay(100);
        }
    }

    public async Task WaitForCallAsync(string provider, string text, string what)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!CallsTo(provider, text).Any())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting for {what}: no {provider} call contains '{text}'. Calls: " +
                string.Join(" | ", Fake.Calls.Select(c => $"{c.Provider}: {c.Raw}")));
            await Task.Delay(100);
        }
    }

    public IEnumerable<FakeCall> CallsTo(string provider, string text) =>
        Fake.CallsTo(provider).Where(c => c.Raw.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until a single incident of <paramref name="rule"/> is in <paramref name="status"/> and returns it.</summary>
    public async Task<JsonElement> WaitForIncidentAsync(string rule, string status) =>
        (await WaitForAsync($"v1/incidents?ruleId={rule}", b => b.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("status").GetString() == status),
            $"an incident of {rule} {status}")).GetProperty("items").EnumerateArray().First(i => i.GetProperty("status").GetString() == status);

    public async ValueTask DisposeAsync()
    {
        await Channels.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
