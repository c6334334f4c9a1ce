using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Operations;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Server.Tests.Platform;

namespace Switchboard.Server.Tests.Operations;

public sealed class MetricsTests
{
    private const string Python = "/usr/bin/python3";

    // Prints one metric family name per line, or exits 3 when the parser is not installed.
    private const string ParseScript = """
        import sys
        try:
            from prometheus_client.parser import text_string_to_metric_families
        except ImportError as error:
            print("prometheus_client is not installed: " + str(error))
            sys.exit(3)
        with open(sys.argv[1], encoding="utf-8") as source:
            for family in text_string_to_metric_families(source.read()):
                print(family.name)
        """;

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_include_http_request_durations()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var _ = await client.GetAsync("healthz");
        }

        // The duration of a request is recorded just after its response is sent, so the first scrape may race it.
        IReadOnlyList<string> families = [];
        for (var attempt = 0; attempt < 50 && !families.Contains("http_server_request_duration_seconds"); attempt++)
        {
            using var response = await client.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            families = await ParseAsync(await response.Content.ReadAsStringAsync());
            if (!families.Contains("http_server_request_duration_seconds"))
            {
                await Task.Delay(100);
            }
        }

        Assert.Contains("http_server_request_duration_seconds", families);
        Assert.Contains(families, f => f.StartsWith("dotnet_", StringComparison.Ordinal) || f.StartsWith("process_runtime_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instruments_on_the_switchboard_meter_are_exported()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        var meter = server.Services.GetRequiredService<SwitchboardMetrics>().Meter;
        var counter = meter.CreateCounter<long>("switchboard.test.events", "{event}", "Events counted by a test.");

        counter.Add(5);
        using var response = await client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        var families = await ParseAsync(text);
        Assert.Contains(families, f => f.StartsWith("switchboard_test_events", StringComparison.Ordinal));
        Assert.Contains("switchboard_test_events_total", text);
    }

    [Fact]
    public async Task Metrics_can_require_an_admin()
    {
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Operations:MetricsRequireAuth"] = "true" });
        using var anonymous = server.CreateClient();
        using var user = server.CreateClient(await Platform.RateLimitTests.RegisterAndLoginAsync(server, "alice"));
        using var admin = server.CreateClient(await server.LoginAsync());

        using var noCredentials = await anonymous.GetAsync("metrics");
        using var notAdmin = await user.GetAsync("metrics");
        using var allowed = await admin.GetAsync("metrics");

        await ProblemAssert.IsProblemAsync(noCredentials, HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsProblemAsync(notAdmin, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private static async Task<IReadOnlyList<string>> ParseAsync(string exposition)
    {
        Assert.True(File.Exists(Python), $"{Python} is needed to check the Prometheus format (Debian package python3-prometheus-client).");
        var file = Path.Combine(Path.GetTempPath(), $"switchboard-metrics-{Guid.NewGuid():n}.txt");
        await File.WriteAllTextAsync(file, exposition);
        try
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(ParseScript);
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var stdout = await output.WaitAsync(TimeSpan.FromSeconds(30));
            var stderr = await error.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode != 3, $"Install the Debian package python3-prometheus-client: {stdout.Trim()}");
            Assert.True(process.ExitCode == 0, $"The /metrics output is not valid Prometheus text format: {stderr}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
