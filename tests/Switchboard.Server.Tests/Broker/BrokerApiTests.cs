using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Broker;

public sealed class BrokerApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Broker:MaxMessageBytes"] = "1024" });
        _client = _server.CreateClient(await _server.LoginAsync());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_created_queue_is_listed_with_its_dead_letter_queue_and_settings()
    {
        using var created = await _client.PostAsJsonAsync("v1/queues", new { name = "orders", leaseSeconds = 10, ordering = "fifo-by-group" });
        var queue = await JsonAsync(created, HttpStatusCode.Created);
        using var list = await _client.GetAsync("v1/queues");
        var queues = (await JsonAsync(list, HttpStatusCode.OK)).GetProperty("queues").EnumerateArray().ToArray();

        Assert.Equal("orders", queue.GetProperty("name").GetString());
        Assert.Equal("orders.dlq", queue.GetProperty("deadLetterQueue").GetString());
        Assert.Equal(10, queue.GetProperty("leaseSeconds").GetInt32());
        Assert.Equal("fifo-by-group", queue.GetProperty("ordering").GetString());
        Assert.Equal(5, queue.GetProperty("maxDeliveries").GetInt32());
        Assert.Equal(["orders", "orders.dlq"], queues.Select(q => q.GetProperty("name").GetString()));
        Assert.Equal(0, queues[0].GetProperty("stats").GetProperty("depth").GetInt64());
    }

    [Fact]
    public async Task Published_single_and_batch_messages_are_received_with_their_encoding_and_acked()
    {
        await CreateQueueAsync("orders");
        var binary = new byte[] { 0, 1, 2, 250, 255 };

        using var single = await _client.PostAsJsonAsync("v1/queues/orders/messages",
            new { body = "héllo", headers = new Dictionary<string, string> { ["kind"] = "greeting" }, priority = 1 });
        var singleJson = await JsonAsync(single, HttpStatusCode.OK);
        using var batch = await _client.PostAsJsonAsync("v1/queues/orders/messages", new
        {
            messages = new object[]
            {
                new { body = "second" },
                new { body = Convert.ToBase64String(binary), bodyEncoding = "base64" },
            },
        });
        var batchJson = await JsonAsync(batch, HttpStatusCode.OK);
        using var receive = await _client.PostAsJsonAsync("v1/queues/orders/receive", new { max = 10, waitSeconds = 1, leaseSeconds = 30 });
        var messages = (await JsonAsync(receive, HttpStatusCode.OK)).GetProperty("messages").EnumerateArray().ToArray();

        Assert.False(singleJson.GetProperty("duplicate").GetBoolean());
        Assert.Equal(2, batchJson.GetProperty("messages").GetArrayLength());
        Assert.Equal(3, messages.Length);
        var first = messages.Single(m => m.GetProperty("id").GetGuid() == singleJson.GetProperty("id").GetGuid());
        Assert.Equal("héllo", first.GetProperty("body").GetString());
        Assert.Equal("utf8", first.GetProperty("bodyEncoding").GetString());
        Assert.Equal("greeting", first.GetProperty("headers").GetProperty("kind").GetString());
        Assert.Equal(1, first.GetProperty("deliveryCount").GetInt32());
        var raw = messages.Single(m => m.GetProperty("bodyEncoding").GetString() == "base64");
        Assert.Equal(binary, Convert.FromBase64String(raw.GetProperty("body").GetString()!));

        using var ack = await _client.PostAsJsonAsync("v1/queues/orders/ack", new { leases = messages.Select(m => m.GetProperty("lease").GetString()).ToArray() });
        var ackJson = await JsonAsync(ack, HttpStatusCode.OK);
        using var stats = await _client.GetAsync("v1/queues/orders/stats");

        Assert.Equal(3, ackJson.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, (await JsonAsync(stats, HttpStatusCode.OK)).GetProperty("depth").GetInt64());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("$sys.internal")]
    [InlineData("slash/name")]
    [InlineData("")]
    public async Task Invalid_or_reserved_queue_names_are_refused(string name)
    {
        using var response = await _client.PostAsJsonAsync("v1/queues", new { name });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "invalid_name");
    }

    [Fact]
    public async Task A_name_longer_than_128_characters_is_refused()
    {
        using var response = await _client.PostAsJsonAsync("v1/queues", new { name = new string('a', 129) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "invalid_name");
    }

    [Fact]
    public async Task An_oversized_message_is_413_and_an_oversized_batch_is_400()
    {
        await CreateQueueAsync("q");

        using var big = await _client.PostAsJsonAsync("v1/queues/q/messages", new { body = new string('x', 1025) });
        using var many = await _client.PostAsJsonAsync("v1/queues/q/messages",
            new { messages = Enumerable.Range(0, 1001).Select(i => new { body = "m" }).ToArray() });

        await ProblemAssert.IsProblemAsync(big, HttpStatusCode.RequestEntityTooLarge, "message_too_large");
        await ProblemAssert.IsProblemAsync(many, HttpStatusCode.BadRequest, "batch_too_large");
    }

    [Fact]
    public async Task An_unknown_queue_is_a_404_problem()
    {
        using var publish = await _client.PostAsJsonAsync("v1/queues/nowhere/messages", new { body = "x" });
        using var receive = await _client.PostAsJsonAsync("v1/queues/nowhere/receive", new { max = 1 });
        using var get = await _client.GetAsync("v1/queues/nowhere");

        await ProblemAssert.IsProblemAsync(publish, HttpStatusCode.NotFound, "queue_not_found");
        await ProblemAssert.IsProblemAsync(receive, HttpStatusCode.NotFound, "queue_not_found");
        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, "queue_not_found");
    }

    [Theory]
    [InlineData("not-a-lease")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA**")]
    [InlineData("")]
    public async Task A_malformed_lease_token_is_400_invalid_lease(string lease)
    {
        await CreateQueueAsync("q");

        using var ack = await _client.PostAsJsonAsync("v1/queues/q/ack", new { leases = new[] { lease } });
        using var nack = await _client.PostAsJsonAsync("v1/queues/q/nack", new { leases = new[] { lease } });

        await ProblemAssert.IsProblemAsync(ack, HttpStatusCode.BadRequest, "invalid_lease");
        await ProblemAssert.IsProblemAsync(nack, HttpStatusCode.BadRequest, "invalid_lease");
    }

    [Fact]
    public async Task A_stale_lease_is_409_lease_expired_for_a_single_lease_and_per_lease_in_a_batch()
    {
        await CreateQueueAsync("q");
        await PublishAsync("q", "x");
        var lease = (await ReceiveAsync("q")).Single().GetProperty("lease").GetString();
        using (var first = await _client.PostAsJsonAsync("v1/queues/q/ack", new { leases = new[] { lease } }))
        {
            await JsonAsync(first, HttpStatusCode.OK);
        }

        using var single = await _client.PostAsJsonAsync("v1/queues/q/ack", new { leases = new[] { lease } });
        using var batch = await _client.PostAsJsonAsync("v1/queues/q/ack", new { leases = new[] { lease, lease } });

        var problem = await ProblemAssert.IsProblemAsync(single, HttpStatusCode.Conflict, "lease_expired");
        // The message was acked: nothing may promise that it comes back.
        Assert.DoesNotContain("delivered again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("already acked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var results = await JsonAsync(batch, HttpStatusCode.OK);
        Assert.Equal(2, results.GetProperty("failed").GetInt32());
        Assert.All(results.GetProperty("results").EnumerateArray(), r => Assert.Equal("lease_expired", r.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_problem_never_a_500()
    {
        await CreateQueueAsync("q");

        using var json = await _client.PostAsync("v1/queues/q/messages", new StringContent("{ not json", Encoding.UTF8, "application/json"));
        using var base64 = await _client.PostAsJsonAsync("v1/queues/q/messages", new { body = "%%%", bodyEncoding = "base64" });
        using var priority = await _client.PostAsJsonAsync("v1/queues/q/messages", new { body = "x", priority = 10 });
        using var noBody = await _client.PostAsJsonAsync("v1/queues/q/messages", new { headers = new { a = "b" } });
        using var ordering = await _client.PostAsJsonAsync("v1/queues", new { name = "other", ordering = "random" });
        using var max = await _client.PostAsJsonAsync("v1/queues/q/receive", new { max = 1001 });
        using var wait = await _client.PostAsJsonAsync("v1/queues/q/receive", new { waitSeconds = 21 });
        using var noLeases = await _client.PostAsJsonAsync("v1/queues/q/ack", new { leases = Array.Empty<string>() });
        using var noContent = await _client.PostAsync("v1/queues/q/receive", null);
        using var badForce = await _client.DeleteAsync("v1/queues/q?force=maybe");

        await ProblemAssert.IsProblemAsync(json, HttpStatusCode.BadRequest, "malformed_json");
        await ProblemAssert.IsProblemAsync(base64, HttpStatusCode.BadRequest, "invalid_body_encoding");
        await ProblemAssert.IsProblemAsync(priority, HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblemAsync(noBody, HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblemAsync(ordering, HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblemAsync(max, HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblemAsync(wait, HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblemAsync(noLeases, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, (await JsonAsync(noContent, HttpStatusCode.OK)).GetProperty("messages").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, badForce.StatusCode);
    }

    [Fact]
    public async Task A_non_empty_queue_is_deleted_only_with_force_and_a_duplicate_create_is_409()
    {
        await CreateQueueAsync("q");
        await PublishAsync("q", "x");

        using var duplicate = await _client.PostAsJsonAsync("v1/queues", new { name = "q" });
        using var refused = await _client.DeleteAsync("v1/queues/q");
        using var forced = await _client.DeleteAsync("v1/queues/q?force=true");
        using var gone = await _client.GetAsync("v1/queues/q");

        await ProblemAssert.IsProblemAsync(duplicate, HttpStatusCode.Conflict, "queue_exists");
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "queue_not_empty");
        Assert.Equal(HttpStatusCode.NoContent, forced.StatusCode);
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound, "queue_not_found");
    }

    [Fact]
    public async Task A_rejected_message_can_be_peeked_in_the_dead_letter_queue_and_redriven()
    {
        await CreateQueueAsync("jobs");
        await PublishAsync("jobs", "bad");
        var lease = (await ReceiveAsync("jobs")).Single().GetProperty("lease").GetString();

        using (var nack = await _client.PostAsJsonAsync("v1/queues/jobs/nack", new { leases = new[] { lease }, deadLetter = true, reason = "cannot parse" }))
        {
            await JsonAsync(nack, HttpStatusCode.OK);
        }
        using var peek = await _client.GetAsync("v1/queues/jobs.dlq/messages?peek=true&limit=10");
        var dead = (await JsonAsync(peek, HttpStatusCode.OK)).GetProperty("messages").EnumerateArray().Single();
        using var redrive = await _client.PostAsJsonAsync("v1/queues/jobs.dlq/redrive", new { });
        var moved = await JsonAsync(redrive, HttpStatusCode.OK);

        Assert.Equal("jobs", dead.GetProperty("sourceQueue").GetString());
        Assert.Equal("cannot parse", dead.GetProperty("history")[0].GetProperty("reason").GetString());
        Assert.Equal("rejected", dead.GetProperty("history")[0].GetProperty("outcome").GetString());
        Assert.Equal(1, moved.GetProperty("moved").GetInt32());
        Assert.Equal("bad", (await ReceiveAsync("jobs")).Single().GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_topic_publish_fans_out_to_matching_subscriptions()
    {
        await CreateQueueAsync("eu");
        await CreateQueueAsync("all");
        using (var topic = await _client.PostAsJsonAsync("v1/topics", new { name = "events" }))
        {
            await JsonAsync(topic, HttpStatusCode.Created);
        }
        using (var sub = await _client.PostAsJsonAsync("v1/topics/events/subscriptions", new { queue = "eu", pattern = "orders.*", headers = new { region = "eu" } }))
        {
            await JsonAsync(sub, HttpStatusCode.Created);
        }
        using (var sub = await _client.PostAsJsonAsync("v1/topics/events/subscriptions", new { queue = "all", pattern = "orders.>" }))
        {
            await JsonAsync(sub, HttpStatusCode.Created);
        }
        using var badPattern = await _client.PostAsJsonAsync("v1/topics/events/subscriptions", new { queue = "all", pattern = "orders.>.x" });

        using var publish = await _client.PostAsJsonAsync("v1/topics/events/messages",
            new { subject = "orders.created", body = "o1", headers = new { region = "eu" }, idempotencyKey = "o1" });
        var result = await JsonAsync(publish, HttpStatusCode.OK);

        await ProblemAssert.IsProblemAsync(badPattern, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["all", "eu"], result.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("queue").GetString()).Order());
        var copy = (await ReceiveAsync("eu")).Single();
        Assert.Equal("o1", copy.GetProperty("body").GetString());
        Assert.Equal("orders.created", copy.GetProperty("headers").GetProperty("$subject").GetString());
    }

    [Fact]
    public async Task Without_credentials_the_broker_answers_401()
    {
        using var anonymous = _server.CreateClient();

        using var response = await anonymous.GetAsync("v1/queues");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    private async Task CreateQueueAsync(string name)
    {
        using var response = await _client.PostAsJsonAsync("v1/queues", new { name });
        await JsonAsync(response, HttpStatusCode.Created);
    }

    private async Task PublishAsync(string queue, string body)
    {
        using var response = await _client.PostAsJsonAsync($"v1/queues/{queue}/messages", new { body });
        await JsonAsync(response, HttpStatusCode.OK);
    }

    private async Task<JsonElement[]> ReceiveAsync(string queue)
    {
        using var response = await _client.PostAsJsonAsync($"v1/queues/{queue}/receive", new { max = 10 });
        return (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("messages").EnumerateArray().ToArray();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
