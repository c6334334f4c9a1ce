using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Switchboard.Tests.Contract;

namespace Switchboard.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real built server, <c>dotnet switchboard.dll serve</c>, in its own process on a fixed free loopback port, so a
/// restart answers at the same address. Only this process is ever killed, by its PID.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "end-to-end-admin-password";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _dataPath;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private Process? _process;

    private ServerProcess(string dataPath, IReadOnlyDictionary<string, string> environment)
    {
        _dataPath = dataPath;
        _environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// The binary of the configuration these tests were built in; referencing the Cli project builds it alongside,
    /// so a Release test run never starts a stale Debug server.
    /// </summary>
    public static string DllPath
    {
        get
        {
            // The crash suite's proof that it can fail runs a deliberately broken build from elsewhere (bench/crash.sh).
            if (Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_SERVER_DLL") is { Length: > 0 } other)
            {
                Assert.True(File.Exists(other), $"SWITCHBOARD_TEST_SERVER_DLL names {other}, which does not exist.");
                return other;
            }
            var assembly = typeof(ServerProcess).Assembly;
            var path = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SwitchboardDll").Value!;
            var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            Assert.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}", path, StringComparison.Ordinal);
            Assert.True(File.Exists(path), $"The switchboard binary is not built at {path}; build this test project first.");
            return path;
        }
    }

    /// <param name="environment">Configuration as <c>SWITCHBOARD_</c> variables, e.g. the storage engine.</param>
    public static async Task<ServerProcess> StartAsync(string dataPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = new ServerProcess(dataPath, environment ?? new Dictionary<string, string>());
        await server.StartProcessAsync();
        return server;
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        // Every response is checked against the server's OpenAPI document (docs/api.md, the contract check).
        var client = ContractCheckingHandler.CreateClient(BaseAddress);
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what was committed must survive.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
        }
        if (_process is not null)
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>SIGTERM: the server shuts down gracefully; waits until it has exited.</summary>
    public async Task TerminateAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        if (_process is not null)
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts the process again on the same data folder and port after <see cref="KillAsync"/> or <see cref="TerminateAsync"/>.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    public async Task RestartAsync()
    {
        await KillAsync();
        await StartProcessAsync();
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _dataPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { DllPath, "serve", "--urls", BaseAddress.ToString().TrimEnd('/'), "--data", Path.Combine(_dataPath, "data") })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("SWITCHBOARD_", StringComparison.OrdinalIgnoreCase)
            || k is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" or "ASPNETCORE_URLS").ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["SWITCHBOARD_Identity__BootstrapAdminPassword"] = AdminPassword;
        start.Environment["SWITCHBOARD_Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(_dataPath);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        Assert.True(process.Start(), "dotnet could not be started.");
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        using var client = CreateClient();
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (true)
        {
            Assert.False(process.HasExited, $"switchboard exited while starting.\n{Output}");
            try
            {
                using var ready = await client.GetAsync("readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"switchboard did not become ready within {StartTimeout}.\n{Output}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is exiting; the temp folder is cleaned eventually.
        }
    }
}
