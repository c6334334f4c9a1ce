using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Client;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.GraphQL;

/// <summary>GraphQL over real HTTP: the same broker, auth and scopes as REST.</summary>
public sealed class GraphQLTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = _server.CreateClient(await _server.LoginAsync());
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Mutations_create_publish_and_purge_and_queries_see_the_result()
    {
        var created = await PostAsync(_admin, "mutation { createQueue(name: \"orders\", leaseSeconds: 15) { name leaseSeconds deadLetterQueueName } }");
        var published = await PostAsync(_admin,
            "mutation($body: String!) { publish(queue: \"orders\", body: $body, headers: [{ name: \"kind\", value: \"order\" }]) { id duplicate } }",
            new { body = "hello" });
        var queues = await PostAsync(_admin, "{ queues { name stats { depth ready } } queue(name: \"orders\") { name stats { depth } deadLetterQueue { name } } }");
        var purged = await PostAsync(_admin, "mutation { purge(queue: \"orders\") }");
        var missing = await PostAsync(_admin, "{ queue(name: \"nowhere\") { name } }");
        var deleted = await PostAsync(_admin, "mutation { deleteQueue(name: \"orders\") }");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var queue = created.Data.GetProperty("createQueue");
        Assert.Equal("orders", queue.GetProperty("name").GetString());
        Assert.Equal(15, queue.GetProperty("leaseSeconds").GetInt32());
        Assert.Equal("orders.dlq", queue.GetProperty("deadLetterQueueName").GetString());
        Assert.False(published.Data.GetProperty("publish").GetProperty("duplicate").GetBoolean());
        Assert.True(Guid.TryParse(published.Data.GetProperty("publish").GetProperty("id").GetString(), out _));
        var listed = queues.Data.GetProperty("queues").EnumerateArray().ToArray();
        Assert.Equal(["orders", "orders.dlq"], listed.Select(q => q.GetProperty("name").GetString()));
        Assert.Equal(1, listed[0].GetProperty("stats").GetProperty("depth").GetInt64());
        Assert.Equal(1, queues.Data.GetProperty("queue").GetProperty("stats").GetProperty("depth").GetInt64());
        Assert.Equal("orders.dlq", queues.Data.GetProperty("queue").GetProperty("deadLetterQueue").GetProperty("name").GetString());
        Assert.Equal(1, purged.Data.GetProperty("purge").GetInt64());
        Assert.Equal(JsonValueKind.Null, missing.Data.GetProperty("queue").ValueKind);
        Assert.True(deleted.Data.GetProperty("deleteQueue").GetBoolean());
    }

    [Fact]
    public async Task Dead_letters_and_topics_are_queryable_and_get_works_for_queries()
    {
        using var sdk = new SwitchboardClient(_server.BaseAddress, SwitchboardCredentials.FromPassword("admin", RunningServer.AdminPassword));
        await sdk.CreateQueueAsync("jobs").WaitAsync(Timeout);
        await sdk.PublishAsync("jobs", "poison").WaitAsync(Timeout);
        var received = await sdk.ReceiveAsync("jobs").WaitAsync(Timeout);
        await sdk.NackAsync("jobs", [received[0].Lease!], reason: "broken", deadLetter: true).WaitAsync(Timeout);
        await sdk.CreateTopicAsync("events").WaitAsync(Timeout);
        await sdk.SubscribeAsync("events", "jobs", "jobs.>").WaitAsync(Timeout);

        var dead = await PostAsync(_admin, "{ deadLetters(queue: \"jobs\", limit: 5) { body sourceQueue history { outcome reason } } topics { name subscriptionCount subscriptions { queue pattern } } }");
        using var get = await _admin.GetAsync("graphql?query=" + Uri.EscapeDataString("{ topics { name } }")).WaitAsync(Timeout);
        var getBody = JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement;
        using var mutationOverGet = await _admin.GetAsync("graphql?query=" + Uri.EscapeDataString("mutation { purge(queue: \"jobs\") }")).WaitAsync(Timeout);
        var mutationError = JsonDocument.Parse(await mutationOverGet.Content.ReadAsStringAsync()).RootElement;

        var letter = Assert.Single(dead.Data.GetProperty("deadLetters").EnumerateArray());
        Assert.Equal("poison", letter.GetProperty("body").GetString());
        Assert.Equal("jobs", letter.GetProperty("sourceQueue").GetString());
        Assert.Equal("broken", letter.GetProperty("history")[0].GetProperty("reason").GetString());
        var topics = dead.Data.GetProperty("topics").EnumerateArray().ToArray();
        Assert.Equal(["$sys.events", "events"], topics.Select(t => t.GetProperty("name").GetString()));
        var topic = topics[1];
        Assert.Equal(1, topic.GetProperty("subscriptionCount").GetInt32());
        Assert.Equal("jobs.>", topic.GetProperty("subscriptions")[0].GetProperty("pattern").GetString());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(["$sys.events", "events"], getBody.GetProperty("data").GetProperty("topics").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, mutationOverGet.StatusCode);
        Assert.Equal("method_not_allowed", Code(mutationError));
    }

    [Fact]
    public async Task Without_credentials_the_endpoint_answers_401_with_a_graphql_error()
    {
        using var anonymous = _server.CreateClient();

        var result = await PostAsync(anonymous, "{ queues { name } }");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("unauthorized", Code(result.Root));
    }

    [Fact]
    public async Task An_api_key_without_the_scope_gets_insufficient_scope_in_extensions_code()
    {
        using var sdk = new SwitchboardClient(_server.BaseAddress, SwitchboardCredentials.FromPassword("admin", RunningServer.AdminPassword));
        await sdk.CreateQueueAsync("orders").WaitAsync(Timeout);
        var key = await sdk.CreateApiKeyAsync(new CreateApiKeyRequest("consumer", ["broker:consume:orders"])).WaitAsync(Timeout);
        using var consumer = _server.CreateClient(key.Key);

        var publish = await PostAsync(consumer, "mutation { publish(queue: \"orders\", body: \"x\") { id } }");
        var create = await PostAsync(consumer, "mutation { createQueue(name: \"other\") { name } }");
        var stats = await sdk.GetQueueStatsAsync("orders").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, publish.Status);
        Assert.Equal("insufficient_scope", Code(publish.Root));
        Assert.Contains("broker:publish:orders", publish.Root.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal("insufficient_scope", Code(create.Root));
        Assert.Equal(0, stats.Depth);
    }

    [Fact]
    public async Task Broker_errors_keep_their_code()
    {
        var invalid = await PostAsync(_admin, "mutation { createQueue(name: \"$sys.mine\") { name } }");
        await PostAsync(_admin, "mutation { createQueue(name: \"dup\") { name } }");
        var duplicate = await PostAsync(_admin, "mutation { createQueue(name: \"dup\") { name } }");
        var unknown = await PostAsync(_admin, "mutation { publish(queue: \"nowhere\", body: \"x\") { id } }");

        Assert.Equal("invalid_name", Code(invalid.Root));
        Assert.Equal("queue_exists", Code(duplicate.Root));
        Assert.Equal("queue_not_found", Code(unknown.Root));
    }

    [Fact]
    public async Task A_query_deeper_than_the_limit_is_rejected_before_it_runs()
    {
        var nested = "name";
        for (var i = 0; i < 12; i++)
        {
            nested = $"deadLetterQueue {{ {nested} }}";
        }

        var result = await PostAsync(_admin, $"{{ queue(name: \"orders\") {{ {nested} }} }}");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.False(result.Root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object);
        Assert.Contains("nested", result.Root.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("{ queues { name ")]
    [InlineData("{ noSuchField }")]
    [InlineData("query { queue { name } }")]
    public async Task A_malformed_or_invalid_document_is_a_400_with_errors(string query)
    {
        var result = await PostAsync(_admin, query);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.NotEmpty(result.Root.GetProperty("errors").EnumerateArray());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"query\": 42}")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    public async Task A_malformed_body_is_a_400_never_a_500(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync("graphql", content).WaitAsync(Timeout);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(root.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task The_console_page_is_served_and_posts_to_the_endpoint()
    {
        using var response = await _server.CreateClient().GetAsync("graphql/ui").WaitAsync(Timeout);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Switchboard GraphQL console", html);
        Assert.Contains("method: 'POST'", html);
    }

    private static string? Code(JsonElement root) =>
        root.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    private static async Task<GraphQLResponse> PostAsync(HttpClient client, string query, object? variables = null)
    {
        using var response = await client.PostAsJsonAsync("graphql", new { query, variables }).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(text).RootElement.Clone();
        return new GraphQLResponse(response.StatusCode, root);
    }

    private sealed record GraphQLResponse(HttpStatusCode Status, JsonElement Root)
    {
        public JsonElement Data => Root.TryGetProperty("errors", out var errors)
            ? throw new Xunit.Sdk.XunitException($"Unexpected errors: {errors}")
            : Root.GetProperty("data");
    }
}
