using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Hosting;
using Switchboard.Tests.Contract;

namespace Switchboard.Server.Tests.Infrastructure;

/// <summary>
/// A real Switchboard server on Kestrel, on a free loopback port, with its own data folder and a real
/// SQLite file. Tests talk to it over real HTTP. Restart keeps the data folder. Every response it sends is checked
/// against its own OpenAPI document (<see cref="ContractCheck"/>); a response that breaks it fails the test.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-tests";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly Action<WebApplication>? _mapExtra;
    private readonly ContractCheck _contractCheck;
    private readonly Lazy<Task<ApiContract>> _contract;
    private WebApplication? _app;

    private RunningServer(string dataPath, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? mapExtra = null)
    {
        DataPath = dataPath;
        _settings = settings;
        _configure = configure;
        _mapExtra = mapExtra;
        _contract = new Lazy<Task<ApiContract>>(() => ApiContract.LoadAsync(BaseAddress));
        _contractCheck = new ContractCheck(() => _contract.Value);
    }

    public string DataPath { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Starts a server. <paramref name="settings"/> override configuration keys (e.g. <c>Identity:AllowRegistration</c>).</summary>
    /// <param name="configure">Extra services for this test only (e.g. a fake authentication scheme).</param>
    /// <param name="mapExtra">Extra endpoints for this test only (e.g. a diagnostics endpoint with a JSON body).</param>
    public static async Task<RunningServer> StartAsync(IDictionary<string, string?>? settings = null, string? dataPath = null,
        Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? mapExtra = null)
    {
        dataPath ??= Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Data:Path"] = dataPath,
            ["Identity:BootstrapAdminPassword"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var server = new RunningServer(dataPath, all, configure, mapExtra);
        await server.StartAppAsync();
        return server;
    }

    private async Task StartAppAsync()
    {
        _app = SwitchboardHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(_contractCheck);
            _configure?.Invoke(builder);
        }, _mapExtra);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.StartAsync(timeout.Token);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Stops and starts the server again on the same data folder (the port may change).</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    /// <summary>
    /// A client for this server that checks every response against the OpenAPI document and throws
    /// <see cref="ContractViolationException"/> at the call that broke it; every request times out after 30 s.
    /// </summary>
    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient(new ContractCheckingHandler(() => _contract.Value)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    /// <summary>Logs in and returns the access token.</summary>
    public async Task<string> LoginAsync(string username = "admin", string password = AdminPassword)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("v1/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    private async Task StopAppAsync()
    {
        if (_app is null)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        DeleteDataFolder();
        if (!_contractCheck.Violations.IsEmpty)
        {
            throw new ContractViolationException(_contractCheck.Violations.Distinct().ToArray());
        }
    }

    private void DeleteDataFolder()
    {
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS; the temp folder is cleaned up eventually.
        }
    }
}
