using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Channels;

/// <summary>A server whose channel instances point at <see cref="FakeProviders"/>, with an admin client and polling helpers.</summary>
internal sealed class ChannelHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ChannelHarness(FakeProviders fake, RunningServer server, HttpClient client)
    {
        Fake = fake;
        Server = server;
        Client = client;
    }

    public FakeProviders Fake { get; }

    public RunningServer Server { get; }

    public HttpClient Client { get; }

    /// <summary>Short retry delays and a breaker that only opens when a test asks for it; loopback allowed.</summary>
    /// <param name="providerHost">The host name the instances use for the fakes, instead of their address 127.0.0.1.</param>
    public static async Task<ChannelHarness> StartAsync(IDictionary<string, string?>? extra = null, Action<FakeProviders>? prepare = null,
        string? providerHost = null)
    {
        var fake = await FakeProviders.StartAsync();
        prepare?.Invoke(fake);
        var settings = fake.Settings();
        if (providerHost is not null)
        {
            foreach (var (key, value) in settings.ToArray())
            {
                settings[key] = value?.Replace("//127.0.0.1:", $"//{providerHost}:", StringComparison.Ordinal);
            }
        }
        settings["Channels:AllowedHosts:0"] = "127.0.0.1";
        settings["Channels:Delivery:RetryBaseDelay"] = "00:00:00.010";
        settings["Channels:Delivery:RetryMaxDelay"] = "00:00:02";
        settings["Channels:Delivery:BreakerMinimumThroughput"] = "1000";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var server = await RunningServer.StartAsync(settings);
        var client = server.CreateClient(await server.LoginAsync());
        return new ChannelHarness(fake, server, client);
    }

    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await Client.PostAsJsonAsync(path, body).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {path}: expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends a notification and returns its id.</summary>
    public async Task<Guid> NotifyAsync(object body) =>
        (await PostAsync("v1/notifications", body, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

    /// <summary>Polls the notification until every delivery has left the queue (sent or further, or failed).</summary>
    public async Task<JsonElement> WaitSettledAsync(Guid id, Func<JsonElement, bool>? until = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var notification = await GetAsync($"v1/notifications/{id}");
            var deliveries = notification.GetProperty("deliveries").EnumerateArray().ToArray();
            var settled = deliveries.Length > 0 && deliveries.All(d => d.GetProperty("status").GetString() is not ("accepted" or "queued"));
            if (settled && (until is null || until(notification)))
            {
                return notification;
            }
            Assert.False(timeout.IsCancellationRequested, $"Notification {id} did not settle: {notification}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
