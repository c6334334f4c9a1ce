using System.Globalization;
using System.Net;
using System.Text;

namespace Switchboard.Bench;

/// A hand-built SVG: one panel per workload metric, a horizontal bar per target (median) with a thin line for the
/// min–max of its runs; Switchboard in blue, peers in grey.
internal static class ChartWriter
{
    private const int Width = 900;
    private const int LabelWidth = 250;
    private const int BarArea = 520;
    private const int RowHeight = 22;

    private sealed record Panel(string Title, string Workload, Func<TargetResult, double?> Value, Func<TargetResult, double?> Low, Func<TargetResult, double?> High, string Unit);

    public static string Write(BenchReport report)
    {
        Panel[] panels =
        [
            new("W1 — 1 producer / 1 consumer, msgs/s (higher is better)", "W1", r => r.Median, r => r.Min, r => r.Max, "msg/s"),
            new("W2 — 4 producers / 4 consumers, msgs/s (higher is better)", "W2", r => r.Median, r => r.Min, r => r.Max, "msg/s"),
            new($"W3 — p99 latency at {report.OfferedRate:N0} msg/s offered, ms (lower is better)", "W3", r => r.P99Ms, r => r.P99MinMs, r => r.P99MaxMs, "ms"),
            new($"W4 — chat fan-out p99 latency, {report.ChatMembers:N0} connections in one room, ms (lower is better)", "W4", r => r.P99Ms, r => r.P99MinMs, r => r.P99MaxMs, "ms"),
            new("W5 — authenticated GET, requests/s (higher is better)", "W5", r => r.Median, r => r.Min, r => r.Max, "req/s"),
        ];
        var body = new StringBuilder();
        var y = 50;
        foreach (var panel in panels)
        {
            var rows = report.Results.Where(r => r.Workload == panel.Workload).ToArray();
            if (rows.Length == 0)
            {
                continue;
            }
            Append(body, $"<text x=\"10\" y=\"{y}\" font-weight=\"bold\">{Escape(panel.Title)}</text>");
            y += 10;
            var scale = rows.Select(r => panel.High(r) ?? panel.Value(r) ?? 0).DefaultIfEmpty(0).Max();
            scale = scale <= 0 ? 1 : scale;
            foreach (var row in rows)
            {
                var colour = !ReportWriter.IsSwitchboard(row.Target) ? "#9aa0a6" : row.Target.StartsWith("switchboard-hub/", StringComparison.Ordinal) ? "#1a73e8" : "#74a7f0";
                Append(body, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{Escape(row.Target)}</text>");
                if (panel.Value(row) is not { } value)
                {
                    Append(body, $"<text x=\"{LabelWidth + 4}\" y=\"{y + 15}\" fill=\"#c5221f\">failed</text>");
                    y += RowHeight;
                    continue;
                }
                var length = Math.Max(1, value / scale * BarArea);
                Append(body, $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{length:0.#}\" height=\"{RowHeight - 6}\" fill=\"{colour}\"/>");
                if (panel.Low(row) is { } low && panel.High(row) is { } high && high > low)
                {
                    var mid = y + RowHeight / 2;
                    Append(body, $"<line x1=\"{LabelWidth + low / scale * BarArea:0.#}\" y1=\"{mid}\" x2=\"{LabelWidth + high / scale * BarArea:0.#}\" y2=\"{mid}\" stroke=\"#202124\" stroke-width=\"1.5\"/>");
                }
                var label = value.ToString(value < 10 ? "0.0#" : "N0", CultureInfo.InvariantCulture) + " " + panel.Unit;
                Append(body, $"<text x=\"{LabelWidth + Math.Max(length, (panel.High(row) ?? 0) / scale * BarArea) + 6:0.#}\" y=\"{y + 15}\">{Escape(label)}</text>");
                y += RowHeight;
            }
            y += 30;
        }
        var header = $"Switchboard vs peers — {report.Mode} mode, {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.Cores} cores, load {report.LoadAverageBefore} → {report.LoadAverageAfter}; bar = median, line = min–max";
        var svg = new StringBuilder();
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{y}\" viewBox=\"0 0 {Width} {y}\" font-family=\"sans-serif\" font-size=\"12\">");
        Append(svg, $"<rect width=\"{Width}\" height=\"{y}\" fill=\"#ffffff\"/>");
        Append(svg, $"<text x=\"10\" y=\"22\" font-size=\"13\">{Escape(header)}</text>");
        svg.Append(body);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Append(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
