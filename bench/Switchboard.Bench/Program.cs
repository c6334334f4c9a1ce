using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Switchboard.Bench;

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var started = DateTimeOffset.UtcNow;
var loadBefore = LoadAverage();
var results = new List<TargetResult>();
foreach (var group in settings.Targets.GroupBy(Engine))
{
    SwitchboardServer? server = null;
    try
    {
        if (group.Key is "sqlite" or "postgres")
        {
            server = await SwitchboardServer.StartAsync(settings.ServerDll, group.Key, settings.Postgres, cancel.Token);
        }
        foreach (var name in group)
        {
            await using var target = Create(name, server);
            // One untimed round first, so that JIT, connection pools and the peer's first file writes are not measured.
            await RunQuietlyAsync(target, Workload.All[^1], run: 0, messages: 500);
            foreach (var workload in Workload.All)
            {
                var runs = new List<double?>();
                for (var run = 1; run <= settings.Runs; run++)
                {
                    runs.Add(await RunQuietlyAsync(target, workload, run, settings.Messages));
                }
                results.Add(new TargetResult(name, workload.Name, workload.Producers, workload.Consumers, settings.Messages, runs));
            }
        }
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.Error.WriteLine($"{string.Join(", ", group)}: could not run ({e.GetType().Name}: {e.Message})");
        foreach (var name in group.Where(n => results.All(r => r.Target != n)))
        {
            results.AddRange(Workload.All.Select(w => new TargetResult(name, w.Name, w.Producers, w.Consumers, settings.Messages, [])));
        }
    }
    finally
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

var report = new BenchReport(started, DateTimeOffset.UtcNow, settings.Quick ? "quick" : "full", Environment.ProcessorCount, loadBefore, LoadAverage(),
    "switchboard-bench " + string.Join(' ', args), BenchSettings.PayloadBytes, BenchSettings.Window, BenchSettings.Batch, Versions(), results);
Directory.CreateDirectory(settings.Output);
var file = Path.Combine(settings.Output, started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ".json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
Console.WriteLine(Table(report));
Console.Error.WriteLine($"Results written to {file}");
return 0;

async Task<double?> RunQuietlyAsync(IBenchTarget target, Workload workload, int run, int messages)
{
    try
    {
        return await WorkloadRunner.RunAsync(target, workload, messages, run, settings, cancel.Token);
    }
    catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
    {
        Console.Error.WriteLine($"{target.Name} {workload.Name} run {run}: FAILED ({e.GetType().Name}: {e.Message})");
        return null;
    }
}

IBenchTarget Create(string name, SwitchboardServer? server) => name switch
{
    "rabbitmq" => new RabbitMqTarget(settings.RabbitPort),
    "nats-jetstream" => new NatsTarget(settings.NatsPort),
    "redis-streams" => new RedisTarget(settings.RedisPort),
    _ when name.StartsWith("switchboard-http/", StringComparison.Ordinal) => new SwitchboardHttpTarget(server!),
    _ => new SwitchboardHubTarget(server!),
};

static string Engine(string target) => target.StartsWith("switchboard-", StringComparison.Ordinal) ? target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..] : target;

static string? LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

static Dictionary<string, string> Versions()
{
    var versions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".NET"] = Environment.Version.ToString(),
    };
    foreach (var type in new[] { typeof(Switchboard.Client.SwitchboardClient), typeof(RabbitMQ.Client.IConnection), typeof(NATS.Net.NatsClient), typeof(StackExchange.Redis.ConnectionMultiplexer) })
    {
        var assembly = type.Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?";
        versions[assembly.GetName().Name + " (client)"] = version.Split('+')[0].Trim();
    }
    // peers.sh writes the server versions it started.
    var peers = Path.Combine(Environment.GetEnvironmentVariable("BENCH_PEERS_DIR") ?? "/tmp/switchboard-bench-peers", "versions.txt");
    if (File.Exists(peers))
    {
        foreach (var line in File.ReadAllLines(peers).Where(l => l.Contains('=', StringComparison.Ordinal)))
        {
            versions[line[..line.IndexOf('=', StringComparison.Ordinal)] + " (server)"] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }
    }
    return versions;
}

static string Table(BenchReport report)
{
    static string Rate(double? value) => value is null ? "failed" : value.Value.ToString("N0", CultureInfo.InvariantCulture);
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"{report.Mode} mode, {report.Results.FirstOrDefault()?.Messages} messages of {report.PayloadBytes} B per run, load before/after: {report.LoadAverageBefore} / {report.LoadAverageAfter}");
    text.AppendLine();
    text.AppendLine("| target | workload | msgs/s (median) | min–max | runs |");
    text.AppendLine("|---|---|---:|---:|---:|");
    foreach (var result in report.Results)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {result.Target} | {result.Workload} ({result.Producers}P/{result.Consumers}C) | {Rate(result.Median)} | {Rate(result.Min)}–{Rate(result.Max)} | {result.Runs.Count(r => r is not null)}/{result.Runs.Count} |");
    }
    var peers = report.Results.Where(r => !r.Target.StartsWith("switchboard-", StringComparison.Ordinal)).Select(r => r.Target).Distinct().ToArray();
    if (peers.Length > 0)
    {
        text.AppendLine();
        text.AppendLine("Ratio Switchboard / peer (medians from this run):");
        text.AppendLine();
        text.AppendLine("| Switchboard target | workload | " + string.Join(" | ", peers) + " |");
        text.AppendLine("|---|---|" + string.Concat(peers.Select(_ => "---:|")));
        foreach (var own in report.Results.Where(r => r.Target.StartsWith("switchboard-", StringComparison.Ordinal)))
        {
            var cells = peers.Select(p => report.Results.FirstOrDefault(r => r.Target == p && r.Workload == own.Workload)?.Median is { } peer && own.Median is { } mine
                ? (mine / peer).ToString("0.00", CultureInfo.InvariantCulture) + "×"
                : "–");
            text.AppendLine($"| {own.Target} | {own.Workload} | {string.Join(" | ", cells)} |");
        }
    }
    return text.ToString();
}
