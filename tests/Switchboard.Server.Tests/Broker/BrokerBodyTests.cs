using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Client;
using Switchboard.Server.Broker;
using Switchboard.Server.Tests.Infrastructure;
using static Switchboard.Server.Tests.Broker.BrokerHubTesting;

namespace Switchboard.Server.Tests.Broker;

/// <summary>A body is bytes end to end: every way in and every way out carries the same bytes, or the publish is refused.</summary>
public sealed class BrokerBodyTests
{
    private static readonly byte[] NotUtf8 = [0x00, 0x01, 0x02, 0xFF, 0xC3];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bytes_that_are_not_UTF8_come_back_identical_from_REST_the_hub_GraphQL_and_the_SDK_or_are_refused(string engine)
    {
        await using var server = await StartAsync(engine);
        var token = await server.LoginAsync();
        using var http = server.CreateClient(token);
        (await http.PostAsJsonAsync("v1/queues", new { name = "bin" })).EnsureSuccessStatusCode();
        await using var messagePack = await ConnectAsync(server, token, messagePack: true);
        await using var json = await ConnectAsync(server, token, messagePack: false);
        using var sdk = new SwitchboardClient(server.BaseAddress, SwitchboardCredentials.FromPassword("admin", RunningServer.AdminPassword));

        // Every way in: the hub in both protocols, unlabelled and labelled base64; REST and GraphQL in base64; the SDK (the CLI's path).
        var published = new Dictionary<Guid, string>();
        foreach (var (hub, protocol) in new[] { (messagePack, "MessagePack"), (json, "JSON") })
        {
            foreach (var label in new[] { null, "base64" })
            {
                var answer = await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "bin", new[] { new BrokerHubPublishMessage { Body = NotUtf8, BodyEncoding = label } })
                    .WaitAsync(CallTimeout);
                published.Add(answer[0].Id, $"hub {protocol} {label ?? "unlabelled"}");
            }
        }
        using (var rest = await http.PostAsJsonAsync("v1/queues/bin/messages", new { body = Convert.ToBase64String(NotUtf8), bodyEncoding = "base64" }))
        {
            published.Add((await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), "REST base64");
        }
        var graph = await GraphQLAsync(http, "mutation($body: String!) { publish(queue: \"bin\", body: $body, bodyEncoding: \"base64\") { id } }",
            new { body = Convert.ToBase64String(NotUtf8) });
        published.Add(graph.GetProperty("data").GetProperty("publish").GetProperty("id").GetGuid(), "GraphQL base64");
        published.Add((await sdk.PublishAsync("bin", NotUtf8).WaitAsync(CallTimeout)).Id, "SDK bytes");

        // Every way out: REST (peek and receive), the hub in both protocols, GraphQL (dead letters), the SDK.
        var peeked = await http.GetFromJsonAsync<JsonElement>("v1/queues/bin/messages?peek=true&limit=100");
        AssertAll(published, peeked.GetProperty("messages").EnumerateArray().Select(RestBody), "REST peek");
        foreach (var (hub, protocol) in new[] { (messagePack, "MessagePack"), (json, "JSON") })
        {
            using var stop = new CancellationTokenSource();
            var stream = await hub.StreamAsChannelAsync<BrokerHubMessage>("Subscribe", "bin", 100, (int?)null, stop.Token).WaitAsync(CallTimeout);
            var streamed = new List<BrokerHubMessage>();
            while (streamed.Count < published.Count)
            {
                streamed.Add(await stream.ReadAsync().AsTask().WaitAsync(CallTimeout));
            }
            AssertAll(published, streamed.Select(m => (m.Id, m.Body, m.BodyEncoding)), $"hub {protocol}");
            // Back to the queue for the next reader, and no more subscription to lease them again.
            await hub.InvokeAsync<BrokerHubSettled[]>("Nack", "bin", streamed.Select(m => m.Lease).ToArray(), (int?)null, (string?)null, false).WaitAsync(CallTimeout);
            await stop.CancelAsync();
        }
        var received = await ReceiveAllAsync(http, "bin", published.Count);
        AssertAll(published, received.Select(RestBody), "REST receive");
        using (var dead = await http.PostAsJsonAsync("v1/queues/bin/nack", new { leases = received.Select(m => m.GetProperty("lease").GetString()), deadLetter = true }))
        {
            dead.EnsureSuccessStatusCode();
        }
        var letters = await GraphQLAsync(http, "{ deadLetters(queue: \"bin\", limit: 100) { id body bodyEncoding } }");
        AssertAll(published, letters.GetProperty("data").GetProperty("deadLetters").EnumerateArray().Select(m =>
            (Guid.Parse(m.GetProperty("id").GetString()!), Decode(m.GetProperty("body").GetString()!, m.GetProperty("bodyEncoding").GetString()!), m.GetProperty("bodyEncoding").GetString()!)),
            "GraphQL");
        var fromSdk = await sdk.ReceiveAsync("bin.dlq", max: 100).WaitAsync(CallTimeout);
        AssertAll(published, fromSdk.Select(m => (m.Id, m.GetBodyBytes(), m.BodyEncoding)), "SDK");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bytes_labelled_utf8_that_are_not_UTF8_are_refused_over_the_hub_and_nothing_is_stored(bool messagePack)
    {
        await using var server = await StartAsync("sqlite");
        var token = await server.LoginAsync();
        using var http = server.CreateClient(token);
        (await http.PostAsJsonAsync("v1/queues", new { name = "bin" })).EnsureSuccessStatusCode();
        await using var hub = await ConnectAsync(server, token, messagePack);

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<BrokerHubPublished[]>("Publish", "bin",
            new[] { new BrokerHubPublishMessage { Body = Encoding.UTF8.GetBytes("fine") }, new BrokerHubPublishMessage { Body = NotUtf8, BodyEncoding = "utf8" } })
            .WaitAsync(CallTimeout));
        var text = await hub.InvokeAsync<BrokerHubPublished[]>("Publish", "bin", new[] { new BrokerHubPublishMessage { Body = Encoding.UTF8.GetBytes("héllo"), BodyEncoding = "utf8" } })
            .WaitAsync(CallTimeout);

        Assert.Contains("HubException: invalid_body_encoding: messages[1].body is labelled utf8 but is not valid UTF-8", refused.Message, StringComparison.Ordinal);
        var peeked = (await http.GetFromJsonAsync<JsonElement>("v1/queues/bin/messages?peek=true")).GetProperty("messages").EnumerateArray().ToArray();
        var only = Assert.Single(peeked);
        Assert.Equal(text[0].Id, only.GetProperty("id").GetGuid());
        Assert.Equal("héllo", only.GetProperty("body").GetString());
        Assert.Equal("utf8", only.GetProperty("bodyEncoding").GetString());
    }

    [Fact]
    public async Task A_JSON_body_that_does_not_match_its_label_is_refused_over_REST_and_GraphQL()
    {
        await using var server = await StartAsync("sqlite");
        using var http = server.CreateClient(await server.LoginAsync());
        (await http.PostAsJsonAsync("v1/queues", new { name = "bin" })).EnsureSuccessStatusCode();

        // A lone surrogate has no UTF-8 form: storing it as text would replace it with U+FFFD. REST's JSON reader
        // refuses it as a string; a GraphQL string literal may carry it, and the broker refuses it.
        using var surrogate = await http.PostAsync("v1/queues/bin/messages", new StringContent("{\"body\":\"a\\ud800b\"}", Encoding.UTF8, "application/json"));
        using var base64 = await http.PostAsJsonAsync("v1/queues/bin/messages", new { messages = new[] { new { body = "ok", bodyEncoding = "utf8" }, new { body = "%%%", bodyEncoding = "base64" } } });
        var graphSurrogate = await GraphQLAsync(http, "mutation { publish(queue: \"bin\", body: \"a\\ud800b\") { id } }");
        var graphBase64 = await GraphQLAsync(http, "mutation { publish(queue: \"bin\", body: \"%%%\", bodyEncoding: \"base64\") { id } }");

        await ProblemAssert.IsProblemAsync(surrogate, HttpStatusCode.BadRequest, "malformed_json");
        var batch = await ProblemAssert.IsProblemAsync(base64, HttpStatusCode.BadRequest, "invalid_body_encoding");
        Assert.True(batch.GetProperty("errors").TryGetProperty("messages[1].body", out _), batch.ToString());
        var surrogateError = graphSurrogate.GetProperty("errors")[0];
        Assert.Equal("invalid_body_encoding", surrogateError.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("bodyEncoding 'base64'", surrogateError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_body_encoding", graphBase64.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("v1/queues/bin/stats")).GetProperty("depth").GetInt64());
    }

    private static void AssertAll(Dictionary<Guid, string> published, IEnumerable<(Guid Id, byte[] Body, string Label)> read, string reader)
    {
        var seen = read.ToArray();
        Assert.Equal(published.Keys.Order(), seen.Select(m => m.Id).Order());
        foreach (var (id, body, label) in seen)
        {
            Assert.True(NotUtf8.AsSpan().SequenceEqual(body), $"{reader} altered the body published by {published[id]}: {Convert.ToHexString(body)}");
            Assert.Equal("base64", label);
        }
    }

    private static (Guid, byte[], string) RestBody(JsonElement message)
    {
        var label = message.GetProperty("bodyEncoding").GetString()!;
        return (message.GetProperty("id").GetGuid(), Decode(message.GetProperty("body").GetString()!, label), label);
    }

    private static byte[] Decode(string body, string label) => label == "base64" ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);

    private static async Task<List<JsonElement>> ReceiveAllAsync(HttpClient http, string queue, int count)
    {
        var all = new List<JsonElement>();
        while (all.Count < count)
        {
            using var response = await http.PostAsJsonAsync($"v1/queues/{queue}/receive", new { max = 100, waitSeconds = 5 }).WaitAsync(CallTimeout);
            response.EnsureSuccessStatusCode();
            var messages = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages").EnumerateArray().ToArray();
            Assert.NotEmpty(messages);
            all.AddRange(messages);
        }
        return all;
    }

    private static async Task<JsonElement> GraphQLAsync(HttpClient http, string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query, variables }).WaitAsync(CallTimeout);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
