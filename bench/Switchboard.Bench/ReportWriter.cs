using System.Globalization;
using System.Text;

namespace Switchboard.Bench;

/// The Markdown tables of one report: durability, throughput with CPU, W3 latency, W5, and Switchboard / peer ratios.
internal static class ReportWriter
{
    public static string Write(BenchReport report)
    {
        var text = new StringBuilder();
        var runs = report.Results.Count == 0 ? 0 : report.Results.Max(r => r.Runs.Count);
        Line(text, $"{report.Mode} mode, {runs} run(s) per number, {report.PayloadBytes} B payloads, {report.Cores} cores, load average (1/5/15 min) before {report.LoadAverageBefore}, after {report.LoadAverageAfter}; `{report.CommandLine}`");
        text.AppendLine();
        text.AppendLine("| target | a publish is acknowledged |");
        text.AppendLine("|---|---|");
        foreach (var target in report.Results.GroupBy(r => r.Target))
        {
            Line(text, $"| {target.Key} | {target.First().Durability} |");
        }

        var throughput = report.Results.Where(r => r.Workload is "W1" or "W2").ToArray();
        if (throughput.Length > 0)
        {
            text.AppendLine();
            Line(text, $"**W1 / W2 throughput** ({throughput[0].Messages:N0} messages per run; CPU = % of one core during the run, median):");
            text.AppendLine();
            text.AppendLine("| target | workload | msgs/s (median) | min–max | server CPU | runner CPU | runs ok |");
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var result in throughput.OrderBy(r => r.Workload, StringComparer.Ordinal))
            {
                Line(text, $"| {result.Target} | {result.Workload} ({result.Producers}P/{result.Consumers}C) | {N(result.Median)} | {N(result.Min)}–{N(result.Max)} | {Pct(result.ServerCpuPercent)} | {Pct(result.RunnerCpuPercent)} | {Ok(result)} |");
            }
        }

        var latency = report.Results.Where(r => r.Workload == "W3").ToArray();
        if (latency.Length > 0)
        {
            text.AppendLine();
            Line(text, $"**W3 end-to-end latency** at a fixed offered rate of {report.OfferedRate:N0} msg/s for {report.OfferedSeconds:0.#} s (open loop; from the intended send time in the payload to receipt by the consumer; ms, median of runs; max is the slowest message of any run):");
            text.AppendLine();
            text.AppendLine("| target | delivered msg/s | p50 | p99 | p99 min–max | p99.9 | max | server CPU | runner CPU | runs ok |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var result in latency)
            {
                Line(text, $"| {result.Target} | {N(result.Median)} | {Ms(result.P50Ms)} | {Ms(result.P99Ms)} | {Ms(result.P99MinMs)}–{Ms(result.P99MaxMs)} | {Ms(result.P999Ms)} | {Ms(result.MaxMs)} | {Pct(result.ServerCpuPercent)} | {Pct(result.RunnerCpuPercent)} | {Ok(result)} |");
            }
        }

        var chat = report.Results.Where(r => r.Workload == "W4").ToArray();
        if (chat.Length > 0)
        {
            text.AppendLine();
            Line(text, $"**W4 chat fan-out** over `/hubs/chat` (MessagePack): {report.ChatMembers:N0} connections joined to one room, one sender at {report.ChatRate} msg/s for {report.ChatSeconds:0.#} s (open loop); delivery latency from the due time in the text to `MessageReceived` on each member connection, ms:");
            text.AppendLine();
            text.AppendLine("| target | deliveries/s | p50 | p99 | p99 min–max | p99.9 | server CPU | runner CPU | runs ok |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var result in chat)
            {
                Line(text, $"| {result.Target} | {N(result.Median)} | {Ms(result.P50Ms)} | {Ms(result.P99Ms)} | {Ms(result.P99MinMs)}–{Ms(result.P99MaxMs)} | {Ms(result.P999Ms)} | {Pct(result.ServerCpuPercent)} | {Pct(result.RunnerCpuPercent)} | {Ok(result)} |");
            }
        }

        var ceiling = report.Results.Where(r => r.Workload == "W4c").ToArray();
        if (ceiling.Length > 0)
        {
            text.AppendLine();
            Line(text, $"**W4c concurrent connections**: {report.ChatConnections:N0} idle `/hubs/chat` connections opened from the runner (32 at a time); held = still connected 2 s after the last opened; server resident memory (VmRSS) before and after:");
            text.AppendLine();
            text.AppendLine("| target | connections held (median) | server RSS before → after (MiB) | KiB per connection | connects/s | runs ok |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var result in ceiling)
            {
                var held = result.MedianOf(r => r.Count);
                var before = result.MedianOf(r => r.ServerRssBeforeMb);
                var after = result.MedianOf(r => r.ServerRssMb);
                var perConnection = held is > 0 && before is not null && after is not null ? (after - before) * 1024 / held : null;
                Line(text, $"| {result.Target} | {N(held)} of {result.Messages:N0} | {N(before)} → {N(after)} | {N(perConnection)} | {N(result.Median)} | {Ok(result)} |");
            }
        }

        var rest = report.Results.Where(r => r.Workload == "W5").ToArray();
        if (rest.Length > 0)
        {
            text.AppendLine();
            Line(text, $"**W5 authenticated REST read** (`GET /v1/queues/{{name}}` with a bearer token, {report.RestClients} keep-alive HTTP/1.1 connections from {(report.RestGenerator == "wrk" ? "wrk" : "the runner's HttpClient")}, {report.RestSeconds:0.#} s; latency in ms; runner CPU includes the load generator's):");
            text.AppendLine();
            text.AppendLine("| target | requests/s (median) | min–max | p50 | p99 | p99.9 | server CPU | runner CPU | runs ok |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var result in rest)
            {
                Line(text, $"| {result.Target} | {N(result.Median)} | {N(result.Min)}–{N(result.Max)} | {Ms(result.P50Ms)} | {Ms(result.P99Ms)} | {Ms(result.P999Ms)} | {Pct(result.ServerCpuPercent)} | {Pct(result.RunnerCpuPercent)} | {Ok(result)} |");
            }
        }

        var peers = report.Results.Where(r => !IsSwitchboard(r.Target)).Select(r => r.Target).Distinct().ToArray();
        var own = report.Results.Where(r => IsSwitchboard(r.Target) && r.Workload is "W1" or "W2" or "W3").ToArray();
        if (peers.Length > 0 && own.Length > 0)
        {
            text.AppendLine();
            text.AppendLine("**Ratio Switchboard / peer** (same run, medians; W1/W2 throughput: above 1 = Switchboard faster; W3 p99 latency: below 1 = Switchboard faster):");
            text.AppendLine();
            text.AppendLine("| Switchboard target | workload | " + string.Join(" | ", peers) + " |");
            text.AppendLine("|---|---|" + string.Concat(peers.Select(_ => "---:|")));
            foreach (var mine in own.OrderBy(r => r.Workload, StringComparer.Ordinal))
            {
                var latencyRatio = mine.Workload == "W3";
                var cells = peers.Select(p => report.Results.FirstOrDefault(r => r.Target == p && r.Workload == mine.Workload) is { } peer
                    && (latencyRatio ? (mine.P99Ms, peer.P99Ms) : (mine.Median, peer.Median)) is (double a, double b) && b > 0
                        ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "×"
                        : "–");
                Line(text, $"| {mine.Target} | {mine.Workload}{(latencyRatio ? " p99" : "")} | {string.Join(" | ", cells)} |");
            }
        }
        return text.ToString();
    }

    public static bool IsSwitchboard(string target) => target.StartsWith("switchboard-", StringComparison.Ordinal);

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

    private static string N(double? value) => value is null ? "failed" : value.Value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is null ? "–" : value.Value.ToString(value.Value < 10 ? "0.0#" : "N0", CultureInfo.InvariantCulture);

    private static string Pct(double? value) => value is null ? "–" : value.Value.ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string Ok(TargetResult result) => $"{result.Succeeded}/{result.Runs.Count}";
}
