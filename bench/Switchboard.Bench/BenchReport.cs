namespace Switchboard.Bench;

internal sealed record BenchReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Mode,
    int Cores,
    string? LoadAverageBefore,
    string? LoadAverageAfter,
    string CommandLine,
    int PayloadBytes,
    int Window,
    int Batch,
    int OfferedRate,
    double OfferedSeconds,
    int RestClients,
    double RestSeconds,
    string RestGenerator,
    int ChatMembers,
    int ChatRate,
    double ChatSeconds,
    int ChatConnections,
    IReadOnlyDictionary<string, string> Versions,
    IReadOnlyList<TargetResult> Results);
