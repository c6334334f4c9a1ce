using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Tests.Infrastructure;

/// <summary>The real gateway on a free loopback port, configured in memory; its client keeps no cookies.</summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private RunningGateway(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = new Uri(url),
            Timeout = Timeout,
        };
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway with fast health checks unless <paramref name="settings"/> says otherwise.</summary>
    public static async Task<RunningGateway> StartAsync(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Gateway:Health:ActiveInterval"] = "00:00:00.2",
            ["Gateway:Health:ActiveTimeout"] = "00:00:01",
            ["Gateway:Health:Probation"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var app = GatewayHost.Build([], (configuration, _) => configuration.AddInMemoryCollection(all));
        using var timeout = new CancellationTokenSource(Timeout);
        await app.StartAsync(timeout.Token);
        return new RunningGateway(app, app.Urls.First().TrimEnd('/'));
    }

    public static Dictionary<string, string?> Destinations(params Backend[] backends) =>
        backends.Select((b, i) => (b, i)).ToDictionary(x => $"Gateway:Destinations:{x.i}", x => (string?)x.b.Url);

    public async Task<JsonElement> DestinationsAsync() =>
        await Client.GetFromJsonAsync<JsonElement>("/gateway/destinations").WaitAsync(Timeout);

    /// <summary>The destinations of one cluster whose state says they take traffic.</summary>
    public async Task<IReadOnlyList<string>> AvailableAsync(string cluster = "nodes")
    {
        var view = await DestinationsAsync();
        return view.GetProperty("destinations").EnumerateArray()
            .Where(d => d.GetProperty("cluster").GetString() == cluster && d.GetProperty("available").GetBoolean())
            .Select(d => d.GetProperty("address").GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Polls until <paramref name="condition"/> holds on the available addresses of the nodes cluster.</summary>
    public async Task WaitForAvailableAsync(Func<IReadOnlyList<string>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        IReadOnlyList<string> last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = await AvailableAsync();
            if (condition(last))
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out waiting for {what}; available: [{string.Join(", ", last)}].");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(Timeout);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
