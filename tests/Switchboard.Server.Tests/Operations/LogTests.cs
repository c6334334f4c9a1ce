using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Operations;

public sealed class LogTests
{
    [Fact]
    public async Task Requests_are_logged_as_json_lines_in_the_data_folder_with_their_trace_id_and_without_secrets()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });
        using var client = server.CreateClient(bearer: "secret-token-that-must-not-be-logged");

        using var response = await client.GetAsync("v1/logged?apiKey=secret-query-value");
        var traceId = Assert.Single(response.Headers.GetValues("X-Trace-Id"));

        // The file sink flushes about once a second.
        var logs = Path.Combine(server.DataPath, "logs");
        JsonElement? requestLine = null;
        string everything = "";
        for (var attempt = 0; attempt < 100 && requestLine is null; attempt++)
        {
            everything = ReadAll(logs);
            requestLine = everything.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .Where(line => line.TryGetProperty("@tr", out var tr) && tr.GetString() == traceId)
                .Cast<JsonElement?>()
                .FirstOrDefault(line => line!.Value.TryGetProperty("StatusCode", out _));
            if (requestLine is null)
            {
                await Task.Delay(300);
            }
        }

        Assert.True(requestLine is not null, $"No request line with trace id {traceId} in {logs}:\n{everything}");
        var entry = requestLine.Value;
        Assert.Equal("GET", entry.GetProperty("RequestMethod").GetString());
        Assert.Equal("/v1/logged", entry.GetProperty("RequestPath").GetString());
        Assert.Equal(404, entry.GetProperty("StatusCode").GetInt32());
        Assert.True(entry.TryGetProperty("Elapsed", out _));
        Assert.DoesNotContain("secret-token-that-must-not-be-logged", everything);
        Assert.DoesNotContain("secret-query-value", everything);
    }

    [Fact]
    public async Task The_log_file_can_be_turned_off()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Operations:Logs:File"] = "false",
        });
        using var client = server.CreateClient();

        using var response = await client.GetAsync("healthz");

        Assert.False(Directory.Exists(Path.Combine(server.DataPath, "logs")));
    }

    private static string ReadAll(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return "";
        }
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(folder, "switchboard-*.json"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }
        // A line still being written may be cut; keep whole lines only.
        var all = text.ToString();
        var last = all.LastIndexOf('\n');
        return last < 0 ? "" : all[..(last + 1)];
    }
}
