using System.Globalization;
using System.Reflection;
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
var workloads = Workload.All.Where(w => settings.Workloads.Contains(w.Name)).ToArray();
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
            await RunQuietlyAsync(target, Workload.All[1], run: 0, messages: 500);
            foreach (var workload in workloads)
            {
                if (workload.Kind == WorkloadKind.RestRead)
                {
                    // Only Switchboard has a REST API; it runs once per engine, with the HTTP target.
                    if (target is SwitchboardHttpTarget http)
                    {
                        await RestQuietlyAsync(http, workload, run: 0, TimeSpan.FromSeconds(1));
                        var restRuns = new List<RunResult?>();
                        for (var run = 1; run <= settings.Runs; run++)
                        {
                            restRuns.Add(await RestQuietlyAsync(http, workload, run, settings.RestDuration));
                        }
                        results.Add(new TargetResult(name, target.Durability, workload.Name, 0, 0, settings.RestClients, restRuns));
                    }
                    continue;
                }
                var messages = workload.Kind == WorkloadKind.FixedRate ? (int)(settings.Rate * settings.RateDuration.TotalSeconds) : settings.Messages;
                var runs = new List<RunResult?>();
                for (var run = 1; run <= settings.Runs; run++)
                {
                    runs.Add(await RunQuietlyAsync(target, workload, run, messages));
                }
                results.Add(new TargetResult(name, target.Durability, workload.Name, workload.Producers, workload.Consumers, messages, runs));
            }
        }
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.Error.WriteLine($"{string.Join(", ", group)}: could not run ({e.GetType().Name}: {e.Message})");
        foreach (var name in group.Where(n => results.All(r => r.Target != n)))
        {
            results.AddRange(workloads.Where(w => w.Kind != WorkloadKind.RestRead || name.StartsWith("switchboard-http/", StringComparison.Ordinal))
                .Select(w => new TargetResult(name, "?", w.Name, w.Producers, w.Consumers, settings.Messages, [null])));
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
    "switchboard-bench " + string.Join(' ', args), BenchSettings.PayloadBytes, BenchSettings.Window, BenchSettings.Batch,
    settings.Rate, settings.RateDuration.TotalSeconds, settings.RestClients, settings.RestDuration.TotalSeconds, Versions(), results);
Directory.CreateDirectory(settings.Output);
var stem = Path.Combine(settings.Output, started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
var markdown = ReportWriter.Write(report);
await File.WriteAllTextAsync(stem + ".md", markdown);
var chart = ChartWriter.Write(report);
await File.WriteAllTextAsync(stem + ".svg", chart);
if (settings.Chart is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Chart))!);
    await File.WriteAllTextAsync(settings.Chart, chart);
}
Console.WriteLine(markdown);
Console.Error.WriteLine($"Results written to {stem}.json, .md and .svg");
var failures = results.Sum(r => r.Runs.Count(run => run is null));
if (failures > 0)
{
    Console.Error.WriteLine($"{failures} run(s) failed.");
    return 1;
}
return 0;

async Task<RunResult?> RunQuietlyAsync(IBenchTarget target, Workload workload, int run, int messages)
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

async Task<RunResult?> RestQuietlyAsync(SwitchboardHttpTarget target, Workload workload, int run, TimeSpan duration)
{
    var label = run == 0 ? $"{target.Name} {workload.Name} warm-up" : $"{target.Name} {workload.Name} run {run}";
    try
    {
        return await RestReadRunner.RunAsync(target.Host, settings.RestClients, duration, label, cancel.Token);
    }
    catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
    {
        Console.Error.WriteLine($"{label}: FAILED ({e.GetType().Name}: {e.Message})");
        return null;
    }
}

IBenchTarget Create(string name, SwitchboardServer? server) => name switch
{
    "rabbitmq" => new RabbitMqTarget(settings.RabbitPort, quorum: false, settings.PeersDirectory),
    "rabbitmq-quorum" => new RabbitMqTarget(settings.RabbitPort, quorum: true, settings.PeersDirectory),
    "nats-jetstream" => new NatsTarget(settings.NatsPort, settings.PeersDirectory),
    "redis-streams" => new RedisTarget(settings.RedisPort, everySecond: false, settings.PeersDirectory),
    "redis-streams-everysec" => new RedisTarget(settings.RedisEverysecPort, everySecond: true, settings.PeersDirectory),
    _ when name.StartsWith("switchboard-http/", StringComparison.Ordinal) => new SwitchboardHttpTarget(server!),
    _ => new SwitchboardHubTarget(server!),
};

static string Engine(string target) => target.StartsWith("switchboard-", StringComparison.Ordinal) ? target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..] : target;

static string? LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

Dictionary<string, string> Versions()
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
    foreach (var (name, version) in PeerVersions.Read(settings.PeersDirectory))
    {
        versions[name + " (server)"] = version;
    }
    return versions;
}
