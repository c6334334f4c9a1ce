using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Client;

namespace Switchboard.Cli.Tests.Broker;

/// <summary>The queue, publish and consume commands against a real server.</summary>
public sealed class BrokerCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private BrokerServer _server = null!;

    public async Task InitializeAsync() => _server = await BrokerServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CliRun.Result> RunAsync(string[] args, string? stdin = null, Dictionary<string, string>? environment = null) =>
        CliRun.InvokeAsync([.. args, "--url", _server.Url], stdin, environment ?? _server.AdminEnvironment);

    [Fact]
    public async Task Queue_create_list_stats_purge_and_delete_work_end_to_end()
    {
        var created = await RunAsync(["queue", "create", "orders", "--lease-seconds", "12"]);
        await RunAsync(["publish", "orders", "one"]);
        var list = await RunAsync(["queue", "list"]);
        var stats = await RunAsync(["queue", "stats", "orders"]);
        var json = await RunAsync(["queue", "stats", "orders", "--json"]);
        var purge = await RunAsync(["queue", "purge", "orders"]);
        var delete = await RunAsync(["queue", "delete", "orders"]);
        using var client = _server.AdminClient();
        var remaining = await client.ListQueuesAsync().WaitAsync(Timeout);

        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        Assert.Equal("orders\n", created.Out);
        Assert.True(list.ExitCode == ExitCodes.Ok, list.ToString());
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Matches(@"^orders\s+1\s+1\s+0\s+0\s+0$", lines[1]);
        Assert.Contains("depth:", stats.Out);
        Assert.Contains("\"depth\":1", json.Out);
        Assert.True(purge.ExitCode == ExitCodes.Ok, purge.ToString());
        Assert.Equal("1\n", purge.Out);
        Assert.True(delete.ExitCode == ExitCodes.Ok, delete.ToString());
        Assert.Equal(["orders.dlq"], remaining.Select(q => q.Name));
    }

    [Fact]
    public async Task Publish_takes_the_body_from_an_argument_a_file_or_stdin()
    {
        using var folder = new TempFolder();
        var binary = new byte[] { 0, 159, 146, 150, 255 };
        await File.WriteAllBytesAsync(folder.Combine("body.bin"), binary);
        await RunAsync(["queue", "create", "q"]);

        var fromArgument = await RunAsync(["publish", "q", "from-argument", "--header", "kind=test"]);
        var fromFile = await RunAsync(["publish", "q", "--file", folder.Combine("body.bin")]);
        var fromStdin = await RunAsync(["publish", "q"], stdin: "from-stdin");
        using var client = _server.AdminClient();
        var messages = await client.ReceiveAsync("q", max: 10).WaitAsync(Timeout);

        Assert.True(fromArgument.ExitCode == ExitCodes.Ok, fromArgument.ToString());
        Assert.True(fromFile.ExitCode == ExitCodes.Ok, fromFile.ToString());
        Assert.True(fromStdin.ExitCode == ExitCodes.Ok, fromStdin.ToString());
        var argumentId = Guid.Parse(fromArgument.Out.Trim());
        Assert.Equal(3, messages.Count);
        var first = messages.Single(m => m.Id == argumentId);
        Assert.Equal("from-argument", first.Body);
        Assert.Equal("test", first.Headers["kind"]);
        Assert.Equal(binary, messages.Single(m => m.Id == Guid.Parse(fromFile.Out.Trim())).GetBodyBytes());
        Assert.Equal("from-stdin", messages.Single(m => m.Id == Guid.Parse(fromStdin.Out.Trim())).Body);
    }

    [Fact]
    public async Task Publish_from_stdin_drops_one_trailing_newline_as_curl_does()
    {
        await RunAsync(["queue", "create", "lines"]);

        var echoed = await RunAsync(["publish", "lines"], stdin: "{\"id\":1}\n");
        var crlf = await RunAsync(["publish", "lines"], stdin: "two lines\nhere\r\n");
        var twoNewlines = await RunAsync(["publish", "lines"], stdin: "kept\n\n");
        using var client = _server.AdminClient();
        var messages = await client.ReceiveAsync("lines", max: 10).WaitAsync(Timeout);

        Assert.True(echoed.ExitCode == ExitCodes.Ok, echoed.ToString());
        Assert.True(crlf.ExitCode == ExitCodes.Ok, crlf.ToString());
        Assert.True(twoNewlines.ExitCode == ExitCodes.Ok, twoNewlines.ToString());
        Assert.Equal("{\"id\":1}", messages.Single(m => m.Id == Guid.Parse(echoed.Out.Trim())).Body);
        Assert.Equal("two lines\nhere", messages.Single(m => m.Id == Guid.Parse(crlf.Out.Trim())).Body);
        Assert.Equal("kept\n", messages.Single(m => m.Id == Guid.Parse(twoNewlines.Out.Trim())).Body);
    }

    [Fact]
    public async Task Publish_with_an_empty_stdin_is_a_missing_body_and_publishes_nothing()
    {
        await RunAsync(["queue", "create", "empty"]);

        var empty = await RunAsync(["publish", "empty"], stdin: "");
        var newline = await RunAsync(["publish", "empty"], stdin: "\n");
        using var client = _server.AdminClient();
        var stats = await client.GetQueueStatsAsync("empty").WaitAsync(Timeout);

        Assert.True(empty.ExitCode == ExitCodes.InvalidUsage, empty.ToString());
        Assert.Contains("stdin was empty", empty.Error);
        Assert.True(newline.ExitCode == ExitCodes.InvalidUsage, newline.ToString());
        Assert.Equal(0, stats.Depth);
    }

    [Fact]
    public async Task Publish_count_sends_that_many_copies_in_batches_and_reports_the_rate()
    {
        await RunAsync(["queue", "create", "load"]);

        var result = await RunAsync(["publish", "load", "payload", "--count", "250", "--batch", "100"]);
        using var client = _server.AdminClient();
        var stats = await client.GetQueueStatsAsync("load").WaitAsync(Timeout);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("250\n", result.Out);
        Assert.Contains("Published 250 messages to 'load'", result.Error);
        Assert.Contains("msg/s", result.Error);
        Assert.Equal(250, stats.Depth);
    }

    [Fact]
    public async Task Consume_with_ack_prints_the_bodies_and_removes_them()
    {
        await RunAsync(["queue", "create", "q"]);
        await RunAsync(["publish", "q", "message", "--count", "5"]);

        var result = await RunAsync(["consume", "q", "--max", "3", "--ack"]);
        using var client = _server.AdminClient();
        var stats = await client.GetQueueStatsAsync("q").WaitAsync(Timeout);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(["message", "message", "message"], result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Received 3 message(s)", result.Error);
        Assert.Contains("acknowledged 3", result.Error);
        Assert.Equal(2, stats.Depth);
        Assert.Equal(0, stats.InFlight);
    }

    [Fact]
    public async Task Consume_without_ack_releases_the_messages_and_max_0_drains_the_queue()
    {
        await RunAsync(["queue", "create", "q"]);
        await RunAsync(["publish", "q", "m", "--count", "150"]);

        var look = await RunAsync(["consume", "q", "--max", "2", "--json"]);
        using var client = _server.AdminClient();
        var afterLook = await client.GetQueueStatsAsync("q").WaitAsync(Timeout);
        var drain = await RunAsync(["consume", "q", "--max", "0", "--ack"]);
        var afterDrain = await client.GetQueueStatsAsync("q").WaitAsync(Timeout);
        var empty = await RunAsync(["consume", "q"]);

        Assert.True(look.ExitCode == ExitCodes.Ok, look.ToString());
        Assert.All(look.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains("\"body\":\"m\"", line));
        Assert.Contains("released them", look.Error);
        Assert.Equal(150, afterLook.Ready);
        Assert.True(drain.ExitCode == ExitCodes.Ok, drain.ToString());
        Assert.Equal(150, drain.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(0, afterDrain.Depth);
        Assert.True(empty.ExitCode == ExitCodes.Ok, empty.ToString());
        Assert.Contains("No messages ready in 'q'", empty.Error);
    }

    [Fact]
    public async Task An_unknown_queue_exits_NotFound_and_says_how_to_create_it()
    {
        var publish = await RunAsync(["publish", "nowhere", "x"]);
        var consume = await RunAsync(["consume", "nowhere"]);

        Assert.True(publish.ExitCode == ExitCodes.NotFound, publish.ToString());
        Assert.Contains("error: queue_not_found:", publish.Error);
        Assert.Contains("switchboard queue create nowhere", publish.Error);
        Assert.True(consume.ExitCode == ExitCodes.NotFound, consume.ToString());
    }

    [Fact]
    public async Task Conflicts_exit_Conflict_with_the_command_that_resolves_them()
    {
        await RunAsync(["queue", "create", "q"]);
        await RunAsync(["publish", "q", "x"]);

        var duplicate = await RunAsync(["queue", "create", "q"]);
        var notEmpty = await RunAsync(["queue", "delete", "q"]);
        var forced = await RunAsync(["queue", "delete", "q", "--force"]);

        Assert.True(duplicate.ExitCode == ExitCodes.Conflict, duplicate.ToString());
        Assert.Contains("queue_exists", duplicate.Error);
        Assert.True(notEmpty.ExitCode == ExitCodes.Conflict, notEmpty.ToString());
        Assert.Contains("switchboard queue purge q", notEmpty.Error);
        Assert.Contains("--force", notEmpty.Error);
        Assert.True(forced.ExitCode == ExitCodes.Ok, forced.ToString());
    }

    [Fact]
    public async Task An_api_key_from_SWITCHBOARD_API_KEY_is_used_and_a_missing_scope_exits_Forbidden()
    {
        using var client = _server.AdminClient();
        await client.CreateQueueAsync("orders").WaitAsync(Timeout);
        var key = await client.CreateApiKeyAsync(new CreateApiKeyRequest("consumer", ["broker:consume:orders"])).WaitAsync(Timeout);
        var environment = new Dictionary<string, string> { ["SWITCHBOARD_API_KEY"] = key.Key };

        var consume = await RunAsync(["consume", "orders"], environment: environment);
        var publish = await RunAsync(["publish", "orders", "x"], environment: environment);
        var withFlag = await RunAsync(["publish", "orders", "x", "--api-key", key.Key], environment: []);

        Assert.True(consume.ExitCode == ExitCodes.Ok, consume.ToString());
        Assert.True(publish.ExitCode == ExitCodes.Forbidden, publish.ToString());
        Assert.Contains("insufficient_scope", publish.Error);
        Assert.Contains("broker:publish:orders", publish.Error);
        Assert.True(withFlag.ExitCode == ExitCodes.Forbidden, withFlag.ToString());
    }

    [Fact]
    public async Task Without_credentials_the_command_is_invalid_usage_and_names_the_ways_to_give_them()
    {
        var result = await RunAsync(["queue", "list"], environment: []);
        var stdinBody = await RunAsync(["publish", "q"], stdin: "body", environment: []);
        var wrong = await RunAsync(["queue", "list"], environment: new Dictionary<string, string> { ["SWITCHBOARD_PASSWORD"] = "wrong-password-1" });

        Assert.True(result.ExitCode == ExitCodes.InvalidUsage, result.ToString());
        Assert.Contains("--api-key", result.Error);
        Assert.Contains("SWITCHBOARD_PASSWORD", result.Error);
        Assert.True(stdinBody.ExitCode == ExitCodes.InvalidUsage, stdinBody.ToString());
        Assert.Contains("stdin carries the message", stdinBody.Error);
        Assert.True(wrong.ExitCode == ExitCodes.Unauthorized, wrong.ToString());
        Assert.Contains("invalid_credentials", wrong.Error);
    }

    [Fact]
    public async Task A_missing_body_is_invalid_usage()
    {
        var result = await RunAsync(["publish", "q"]);

        Assert.True(result.ExitCode == ExitCodes.InvalidUsage, result.ToString());
        Assert.Contains("no message body", result.Error);
    }
}
