using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Switchboard.Client;

namespace Switchboard.Bench;

/// A Switchboard server process on loopback with a fresh data directory (and a fresh database on PostgreSQL).
internal sealed class SwitchboardServer : IAsyncDisposable
{
    public const string Password = "bench-admin-password-1";

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly string? _database;
    private readonly string? _adminConnection;

    private SwitchboardServer(Process process, Uri address, string dataDirectory, string? database, string? adminConnection)
    {
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
        _database = database;
        _adminConnection = adminConnection;
    }

    public Uri Address { get; }

    public string Engine => _database is null ? "sqlite" : "postgres";

    public string Durability => _database is null
        ? "answered after the commit's fsync (SQLite WAL, synchronous=FULL, group commit)"
        : "answered after the commit's fsync (PostgreSQL synchronous_commit=on)";

    public CpuProbe Cpu => CpuProbe.ForProcess(_process.Id);

    /// The server's resident set in MiB (VmRSS), or null when /proc cannot be read.
    public double? ResidentMb()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static async Task<SwitchboardServer> StartAsync(string serverDll, string engine, string postgres, CancellationToken cancellationToken)
    {
        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"No server at '{serverDll}'; build it with 'dotnet build src/Switchboard.Cli -c Release' or pass --server-dll.");
        }
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("switchboard-bench-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { serverDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data", data },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["SWITCHBOARD_Identity__BootstrapAdminPassword"] = Password;
        start.Environment["SWITCHBOARD_Http__RateLimits__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        string? database = null;
        if (engine == "postgres")
        {
            // Named for the test run that started the benchmark (tests/run.sh sets the id), or for this process, so that
            // tests/drop-test-databases.sh drops only its own run's databases and can tell a dead run's leftovers.
            var run = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_RUN_ID") is { Length: > 0 } id ? id
                : $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}x{Environment.ProcessId}";
            database = $"sb_bench_{run}_{Guid.NewGuid().ToString("N")[..12]}";
            await using (var admin = new NpgsqlConnection(postgres + ";Database=postgres"))
            {
                await admin.OpenAsync(cancellationToken);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            start.Environment["SWITCHBOARD_Storage__Engine"] = "postgres";
            start.Environment["SWITCHBOARD_Storage__Postgres__ConnectionString"] = postgres + ";Database=" + database;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var log = File.CreateText(Path.Combine(data, "server.log"));
        log.AutoFlush = true;
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new SwitchboardServer(process, new Uri($"http://127.0.0.1:{port}/"), data, database, database is null ? null : postgres + ";Database=postgres");
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public SwitchboardClient CreateClient() =>
        new(new Uri(Address.AbsoluteUri), SwitchboardCredentials.FromPassword("admin", Password));

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        using var client = CreateClient();
        while (true)
        {
            try
            {
                await client.LoginAsync("admin", Password, cancellationToken);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or SwitchboardApiException && DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_database is not null && _adminConnection is not null)
        {
            await using var admin = new NpgsqlConnection(_adminConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_SERVER_DATA") == "1")
        {
            Console.Error.WriteLine($"Kept the server's data directory and log: {_dataDirectory}");
            return;
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The log may still be held open; a leftover temp directory is harmless.
        }
    }
}
