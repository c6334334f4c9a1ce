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

    public string Postgres { get; init; } = "Host=127.0.0.1;Port=5432;Username=switchboard;Password=switchboard";

    public int RabbitPort { get; init; } = 5680;

    public int NatsPort { get; init; } = 4230;

    public int RedisPort { get; init; } = 6380;

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public static IReadOnlyList<string> AllTargets { get; } =
        ["switchboard-http/sqlite", "switchboard-hub/sqlite", "switchboard-http/postgres", "switchboard-hub/postgres", "rabbitmq", "nats-jetstream", "redis-streams"];

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings { Targets = AllTargets };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--quick" => settings with { Quick = true, Messages = 2_000, Runs = 1, RunTimeout = TimeSpan.FromSeconds(45) },
                "--messages" => settings with { Messages = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => settings with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--targets" => settings with { Targets = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--server-dll" => settings with { ServerDll = Next() },
                "--out" => settings with { Output = Next() },
                "--postgres" => settings with { Postgres = Next() },
                var other => throw new ArgumentException($"Unknown option '{other}'. Options: --quick, --messages N, --runs N, --targets a,b, --server-dll PATH, --out DIR, --postgres CONN."),
            };
        }
        var unknown = settings.Targets.Except(AllTargets).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown target(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllTargets)}.");
        }
        return settings;
    }
}
