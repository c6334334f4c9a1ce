using System.Globalization;

namespace Switchboard.Bench;

internal sealed record BenchSettings
{
    /// Unconfirmed messages one producer may have in flight, for every system alike.
    public const int Window = 1000;

    /// Messages per call where the API takes batches (Switchboard publish, receive and ack).
    public const int Batch = 100;

    public const int PayloadBytes = 1024;

    public bool Quick { get; init; }

    public int Messages { get; init; } = 20_000;

    public int Runs { get; init; } = 3;

    public IReadOnlyList<string> Targets { get; init; } = [];

    public string ServerDll { get; init; } = "src/Switchboard.Cli/bin/Release/net10.0/switchboard.dll";

    public string Output { get; init; } = "bench/results";

    // Loopback without TLS, like every peer here.
    public string Postgres { get; init; } = "Host=127.0.0.1;Port=5432;Username=switchboard;Password=switchboard;SSL Mode=Disable";

    public int RabbitPort { get; init; } = 5680;

    public int NatsPort { get; init; } = 4230;

    public int RedisPort { get; init; } = 6380;

    public int RedisEverysecPort { get; init; } = 6381;

    public string PeersDirectory { get; init; } = Environment.GetEnvironmentVariable("BENCH_PEERS_DIR") ?? "/tmp/switchboard-bench-peers";

    public IReadOnlyList<string> Workloads { get; init; } = [];

    /// W3: messages per second offered, and for how long.
    public int Rate { get; init; } = 2_000;

    public TimeSpan RateDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// W5: concurrent keep-alive clients, and for how long.
    public int RestClients { get; init; } = 32;

    /// W5's load generator: "wrk" or "dotnet"; null = wrk when it is installed.
    public string? RestGenerator { get; init; }

    public TimeSpan RestDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// W4: connections in the room, messages per second sent into it, for how long; and the connection ceiling tried.
    public int ChatMembers { get; init; } = 1_000;

    public int ChatRate { get; init; } = 10;

    public TimeSpan ChatDuration { get; init; } = TimeSpan.FromSeconds(10);

    public int ChatConnections { get; init; } = 2_000;

    /// Where to write the SVG chart besides the results directory.
    public string? Chart { get; init; }

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public static IReadOnlyList<string> AllTargets { get; } =
        ["switchboard-http/sqlite", "switchboard-hub/sqlite", "switchboard-http/postgres", "switchboard-hub/postgres",
            "rabbitmq", "rabbitmq-quorum", "nats-jetstream", "redis-streams", "redis-streams-everysec"];

    public static IReadOnlyList<string> AllWorkloads { get; } = [.. Workload.All.Select(w => w.Name)];

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings { Targets = AllTargets, Workloads = AllWorkloads };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--quick" => settings with
                {
                    Quick = true, Messages = 2_000, Runs = 1, RunTimeout = TimeSpan.FromSeconds(45),
                    RateDuration = TimeSpan.FromSeconds(3), RestDuration = TimeSpan.FromSeconds(3),
                    ChatMembers = 100, ChatDuration = TimeSpan.FromSeconds(3), ChatConnections = 200,
                },
                "--messages" => settings with { Messages = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => settings with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--targets" => settings with { Targets = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--workloads" => settings with { Workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--rate" => settings with { Rate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate-seconds" => settings with { RateDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--rest-clients" => settings with { RestClients = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rest-generator" => settings with { RestGenerator = Next() is var generator && generator is "wrk" or "dotnet" ? generator : throw new ArgumentException("--rest-generator takes wrk or dotnet.") },
                "--rest-seconds" => settings with { RestDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--chat-members" => settings with { ChatMembers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--chat-rate" => settings with { ChatRate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--chat-seconds" => settings with { ChatDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--chat-connections" => settings with { ChatConnections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--chart" => settings with { Chart = Next() },
                "--server-dll" => settings with { ServerDll = Next() },
                "--out" => settings with { Output = Next() },
                "--postgres" => settings with { Postgres = Next() },
                var other => throw new ArgumentException($"Unknown option '{other}'. Options: --quick, --messages N, --runs N, --targets a,b, --workloads W1,W3, --rate N, --rate-seconds S, --rest-clients N, --rest-seconds S, --rest-generator wrk|dotnet, --chat-members N, --chat-rate N, --chat-seconds S, --chat-connections N, --server-dll PATH, --out DIR, --chart FILE.svg, --postgres CONN."),
            };
        }
        var unknown = settings.Targets.Except(AllTargets).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown target(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllTargets)}.");
        }
        var unknownWorkloads = settings.Workloads.Except(AllWorkloads).ToArray();
        if (unknownWorkloads.Length > 0)
        {
            throw new ArgumentException($"Unknown workload(s) {string.Join(", ", unknownWorkloads)}; known: {string.Join(", ", AllWorkloads)}.");
        }
        return settings;
    }
}
