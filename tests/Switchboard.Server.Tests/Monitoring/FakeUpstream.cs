using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Tests.Monitoring;

/// <summary>A monitored service on loopback: <c>/health</c> answers 200 "ok" while <see cref="Healthy"/>, else 503.</summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _checks;

    private FakeUpstream(WebApplication app) => _app = app;

    public volatile bool Healthy = true;

    public Uri HealthUrl { get; private set; } = null!;

    public int Checks => Volatile.Read(ref _checks);

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new FakeUpstream(app);
        app.MapGet("/health", (HttpContext context) =>
        {
            Interlocked.Increment(ref upstream._checks);
            return upstream.Healthy ? Results.Text("status: ok") : Results.Text("down for maintenance", statusCode: 503);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.HealthUrl = new Uri(address.TrimEnd('/') + "/health");
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
