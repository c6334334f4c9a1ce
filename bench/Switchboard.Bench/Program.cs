using System.Diagnostics;
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
var workloads = Workload.All.Where(w => settings.Workloads.Contains(w.Name)).ToArray();
var servers = new Dictionary<string, SwitchboardServer>(StringComparer.Ordinal);
var targets = new List<IBenchTarget>();
var runs = new Dictionary<(string Target, string Workload), List<RunResult?>>();
try
{
    foreach (var group in settings.Targets.GroupBy(Engine))
    {
        try
        {
            var server = group.Key is "sqlite" or "postgres"
                ? servers[group.Key] = await SwitchboardServer.StartAsync(settings.ServerDll, group.Key, settings.Postgres, cancel.Token)
                : null;
            targets.AddRange(group.Select(name => Create(name, server)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Its workloads are reported as failed below.
            Console.Error.WriteLine($"{string.Join(", ", group)}: could not start ({e.GetType().Name}: {e.Message})");
        }
    }
    foreach (var target in targets)
    {
        // Untimed rounds first, so that JIT, connection pools and the peer's first file writes are not measured. A .NET
        // process (the server, and the runner's client of every system) keeps compiling its hot paths at the optimising
        // tier for 10–15 s of load after start-up (profiled: 20–30 % of the server's CPU until then), so a full run
        // warms every target up for a fixed time rather than a fixed count.
        var warmUpUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * (settings.Quick ? 0 : 15);
        do
        {
            foreach (var warmUp in Workload.All.Where(w => w.Kind == WorkloadKind.Throughput))
            {
                await RunQuietlyAsync(target, warmUp, run: 0, messages: settings.Quick ? 500 : 5_000);
            }
        }
        while (Stopwatch.GetTimestamp() < warmUpUntil && !cancel.IsCancellationRequested);
        if (target is SwitchboardHttpTarget http && workloads.Any(w => w.Kind == WorkloadKind.RestRead))
        {
            await RestQuietlyAsync(http, Workload.All.Single(w => w.Kind == WorkloadKind.RestRead), run: 0, TimeSpan.FromSeconds(settings.Quick ? 1 : 5));
        }
        if (!settings.Quick && target is SwitchboardHubTarget chat && workloads.Any(w => w.Kind == WorkloadKind.ChatFanout))
        {
            // The chat fan-out path (and the runner's SignalR clients) are compiled and pooled only once they run.
            await ChatQuietlyAsync($"{target.Name} W4 warm-up", t => ChatFanoutRunner.FanOutAsync(chat.Host, settings.ChatMembers,
                settings.ChatRate, TimeSpan.FromSeconds(5), settings.RunTimeout, $"{target.Name} W4 warm-up", t));
        }
    }
    // Round-robin: run 1 of every workload on every target, then run 2, … so that a change in machine load during the
    // benchmark spreads over all targets instead of favouring whoever ran in the quiet minutes.
    for (var run = 1; run <= settings.Runs; run++)
    {
        foreach (var workload in workloads)
        {
            foreach (var target in targets.Where(t => Applies(workload, t.Name)))
            {
                if (workload.Kind == WorkloadKind.ChatFanout)
                {
                    var hub = (SwitchboardHubTarget)target;
                    Record(target.Name, "W4", await ChatQuietlyAsync($"{target.Name} W4 run {run}", t => ChatFanoutRunner.FanOutAsync(hub.Host, settings.ChatMembers,
                        settings.ChatRate, settings.ChatDuration, settings.RunTimeout, $"{target.Name} W4 run {run}", t)));
                    Record(target.Name, "W4c", await ChatQuietlyAsync($"{target.Name} W4c run {run}", t => ChatFanoutRunner.ConnectionCeilingAsync(hub.Host, settings.ChatConnections,
                        $"{target.Name} W4c run {run}", t)));
                    continue;
                }
                Record(target.Name, workload.Name, workload.Kind == WorkloadKind.RestRead
                    ? await RestQuietlyAsync((SwitchboardHttpTarget)target, workload, run, settings.RestDuration)
                    : await RunQuietlyAsync(target, workload, run, Messages(workload)));
            }
        }
    }
}
finally
{
    foreach (var target in targets)
    {
        await target.DisposeAsync();
    }
    foreach (var server in servers.Values)
    {
        await server.DisposeAsync();
    }
}
var durability = targets.ToDictionary(t => t.Name, t => t.Durability, StringComparer.Ordinal);
var results = (
    from name in settings.Targets
    from workload in workloads
    where Applies(workload, name)
    from part in workload.Kind == WorkloadKind.ChatFanout ? new[] { "W4", "W4c" } : [workload.Name]
    select new TargetResult(name, durability.GetValueOrDefault(name, "? (did not start)"), part,
        part == "W4" ? 1 : workload.Producers, part == "W4" ? settings.ChatMembers : workload.Consumers,
        workload.Kind switch
        {
            WorkloadKind.RestRead => settings.RestClients,
            WorkloadKind.ChatFanout => part == "W4" ? (int)(settings.ChatRate * settings.ChatDuration.TotalSeconds) : settings.ChatConnections,
            _ => Messages(workload),
        },
        runs.GetValueOrDefault((name, part)) ?? [.. Enumerable.Repeat<RunResult?>(null, settings.Runs)])).ToList();

var report = new BenchReport(started, DateTimeOffset.UtcNow, settings.Quick ? "quick" : "full", Environment.ProcessorCount, loadBefore, LoadAverage(),
    "switchboard-bench " + string.Join(' ', args), BenchSettings.PayloadBytes, BenchSettings.Window, BenchSettings.Batch,
    settings.Rate, settings.RateDuration.TotalSeconds, settings.RestClients, settings.RestDuration.TotalSeconds, RestReadRunner.Generator(settings),
    settings.ChatMembers, settings.ChatRate, settings.ChatDuration.TotalSeconds, settings.ChatConnections, Versions(), results);
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
        return await RestReadRunner.RunAsync(target.Host, settings, duration, label, cancel.Token);
    }
    catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
    {
        Console.Error.WriteLine($"{label}: FAILED ({e.GetType().Name}: {e.Message})");
        return null;
    }
}

int Messages(Workload workload) =>
    workload.Kind == WorkloadKind.FixedRate ? (int)(settings.Rate * settings.RateDuration.TotalSeconds) : settings.Messages;

// Only Switchboard has a REST API and chat: W5 runs once per engine with its HTTP target, W4 with its hub target.
static bool Applies(Workload workload, string target) => workload.Kind switch
{
    WorkloadKind.RestRead => target.StartsWith("switchboard-http/", StringComparison.Ordinal),
    WorkloadKind.ChatFanout => target.StartsWith("switchboard-hub/", StringComparison.Ordinal),
    _ => true,
};

void Record(string target, string workload, RunResult? result) =>
    (runs.TryGetValue((target, workload), out var list) ? list : runs[(target, workload)] = []).Add(result);

async Task<RunResult?> ChatQuietlyAsync(string label, Func<CancellationToken, Task<RunResult?>> run)
{
    try
    {
        return await run(cancel.Token);
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
