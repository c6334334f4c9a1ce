using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Testing;

namespace Switchboard.Server.Tests.Broker;

/// <summary>Servers on either engine and hub connections to them, for the broker hub tests.</summary>
internal static class BrokerHubTesting
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts a server on <paramref name="engine"/> (<c>sqlite</c> or <c>postgres</c>, a fresh database) with extra settings.</summary>
    public static async Task<RunningServer> StartAsync(string engine, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (engine == "postgres")
        {
            all["Storage:Engine"] = "postgres";
            all["Storage:Postgres:ConnectionString"] = await TestPostgres.NewDatabaseAsync();
        }
        return await RunningServer.StartAsync(all);
    }

    /// <summary>A started connection; the token travels in the query string, as browsers must send it on WebSockets.</summary>
    public static async Task<HubConnection> ConnectAsync(RunningServer server, string token, bool messagePack)
    {
        var hub = Builder(messagePack, $"{server.BaseAddress}hubs/broker?access_token={Uri.EscapeDataString(token)}").Build();
        await hub.StartAsync().WaitAsync(CallTimeout);
        return hub;
    }

    public static IHubConnectionBuilder Builder(bool messagePack, string url, Action<HttpConnectionOptions>? configure = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(url, HttpTransportType.WebSockets, o => configure?.Invoke(o));
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        return builder;
    }
}
