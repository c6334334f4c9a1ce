using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Tests.Contract;

namespace Switchboard.Server.Tests.Platform;

/// <summary>
/// The findings of the document audit, one test each. Every client here checks each response against the live
/// document (<see cref="ContractCheckingHandler"/>), so a request that gets an undeclared answer fails the test;
/// the assertions add what the document must say.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _admin = null!;
    private JsonObject _document = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _admin = _server.CreateClient(await _server.LoginAsync());
        _document = JsonNode.Parse(await _admin.GetStringAsync("openapi/v1.json"))!.AsObject();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Chat_and_broker_message_lists_have_their_own_schemas_and_a_conversation_page_validates()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        Assert.False(schemas.ContainsKey("MessageListResponse"));
        Assert.Contains("messages", Required(schemas["BrokerMessageListResponse"]!));
        var conversation = await PostJsonAsync("v1/conversations", new { kind = "room", name = "contract" }, HttpStatusCode.Created);
        var id = conversation.GetProperty("id").GetString();
        await PostJsonAsync($"v1/conversations/{id}/messages", new { clientMessageId = "m1", text = "hello" }, HttpStatusCode.Created);

        var page = await GetJsonAsync($"v1/conversations/{id}/messages?limit=1", HttpStatusCode.OK);

        Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_kv_bucket_read_declares_the_bucket_as_well_as_a_key_page()
    {
        using var put = await _admin.PutAsync("v1/kv/settings", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var bucket = await GetJsonAsync("v1/kv/settings", HttpStatusCode.OK);
        var page = await GetJsonAsync("v1/kv/settings?limit=5", HttpStatusCode.OK);

        Assert.Equal("settings", bucket.GetProperty("name").GetString());
        Assert.True(page.TryGetProperty("items", out _));
        Assert.Equal(["KvBucketResponse", "KvKeyPage"], AnyOf("/v1/kv/{bucket}", "get"));
    }

    [Fact]
    public async Task A_single_publish_declares_its_id_and_duplicate_answer()
    {
        await PostJsonAsync("v1/queues", new { name = "single" }, HttpStatusCode.Created);
        await PostJsonAsync("v1/topics", new { name = "single-topic" }, HttpStatusCode.Created);

        var one = await PostJsonAsync("v1/queues/single/messages", new { body = "x" }, HttpStatusCode.OK);
        var fanned = await PostJsonAsync("v1/topics/single-topic/messages", new { subject = "orders.created", body = "x" }, HttpStatusCode.OK);

        Assert.False(one.GetProperty("duplicate").GetBoolean());
        Assert.True(fanned.TryGetProperty("id", out _));
        Assert.Contains("PublishedResponse", AnyOf("/v1/queues/{name}/messages", "post"));
        Assert.Contains("TopicPublishedResponse", AnyOf("/v1/topics/{name}/messages", "post"));
    }

    [Fact]
    public async Task Fields_without_a_value_are_sent_as_null_so_required_fields_are_always_there()
    {
        var created = await PostJsonAsync("v1/queues", new { name = "nulls" }, HttpStatusCode.Created);
        var patched = await PatchJsonAsync("v1/queues/nulls", new { maxDeliveries = 3 }, HttpStatusCode.OK);
        await PostJsonAsync("v1/queues/nulls/messages", new { body = "x" }, HttpStatusCode.OK);
        var peeked = await GetJsonAsync("v1/queues/nulls/messages?peek=true", HttpStatusCode.OK);
        var received = await PostJsonAsync("v1/queues/nulls/receive", new { max = 1 }, HttpStatusCode.OK);
        var lease = received.GetProperty("messages")[0].GetProperty("lease").GetString();
        var acked = await PostJsonAsync("v1/queues/nulls/ack", new { leases = new[] { lease } }, HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, created.GetProperty("stats").ValueKind);
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("stats").ValueKind);
        Assert.Equal(JsonValueKind.Null, peeked.GetProperty("messages")[0].GetProperty("lease").ValueKind);
        Assert.Equal(JsonValueKind.Null, received.GetProperty("messages")[0].GetProperty("sourceQueue").ValueKind);
        Assert.Equal(JsonValueKind.Null, acked.GetProperty("results")[0].GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task Every_id_or_name_route_declares_its_404_with_the_feature_code()
    {
        using var queue = await _admin.GetAsync("v1/queues/nowhere");
        using var conversation = await _admin.GetAsync($"v1/conversations/{Guid.NewGuid()}");
        using var bucket = await _admin.GetAsync("v1/kv/nowhere");

        await ProblemAssert.IsProblemAsync(queue, HttpStatusCode.NotFound, "queue_not_found");
        await ProblemAssert.IsProblemAsync(conversation, HttpStatusCode.NotFound, "conversation_not_found");
        await ProblemAssert.IsProblemAsync(bucket, HttpStatusCode.NotFound, "bucket_not_found");
        var missing = Operations().Where(o => o.Path.Contains('{', StringComparison.Ordinal) && !o.Path.Contains("webhook", StringComparison.Ordinal)
                && o.Operation["responses"]?["404"] is null)
            .Select(o => $"{o.Method} {o.Path}").ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task An_empty_delivery_dead_letter_queue_lists_nothing_and_replays_nothing()
    {
        var list = await GetJsonAsync("v1/deliveries/dlq", HttpStatusCode.OK);
        var replay = await PostJsonAsync("v1/deliveries/dlq/replay", new { }, HttpStatusCode.OK);

        Assert.Empty(list.EnumerateObject().Single(p => p.Value.ValueKind == JsonValueKind.Array).Value.EnumerateArray());
        Assert.Empty(replay.EnumerateObject().Single(p => p.Value.ValueKind == JsonValueKind.Array).Value.EnumerateArray());
    }

    [Fact]
    public async Task Wrong_credentials_a_reused_refresh_token_a_stale_lease_and_a_full_queue_are_declared()
    {
        using var anonymous = _server.CreateClient();
        using var wrong = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = "not-the-password" });
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        using var login = await anonymous.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = RunningServer.AdminPassword });
        var refresh = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refreshToken").GetString();
        using (var first = await anonymous.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = refresh }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var reused = await anonymous.PostAsJsonAsync("v1/auth/refresh", new { refreshToken = refresh });
        await ProblemAssert.IsProblemAsync(reused, HttpStatusCode.Unauthorized, "refresh_token_reused");

        await PostJsonAsync("v1/queues", new { name = "leases" }, HttpStatusCode.Created);
        await PostJsonAsync("v1/queues/leases/messages", new { body = "x" }, HttpStatusCode.OK);
        var received = await PostJsonAsync("v1/queues/leases/receive", new { max = 1 }, HttpStatusCode.OK);
        var lease = received.GetProperty("messages")[0].GetProperty("lease").GetString();
        await PostJsonAsync("v1/queues/leases/nack", new { leases = new[] { lease } }, HttpStatusCode.OK);
        using var stale = await _admin.PostAsJsonAsync("v1/queues/leases/extend", new { leases = new[] { lease }, leaseSeconds = 30 });
        await ProblemAssert.IsProblemAsync(stale, HttpStatusCode.Conflict, "lease_expired");
        using var notEmpty = await _admin.DeleteAsync("v1/queues/leases");
        await ProblemAssert.IsProblemAsync(notEmpty, HttpStatusCode.Conflict, "queue_not_empty");
    }

    [Fact]
    public async Task Bad_paging_a_peek_false_and_an_upload_without_its_length_are_declared_400s()
    {
        await PostJsonAsync("v1/queues", new { name = "paging" }, HttpStatusCode.Created);
        using var cursor = await _admin.GetAsync("v1/admin/users?cursor=not-a-cursor");
        using var limit = await _admin.GetAsync("v1/admin/users?limit=abc");
        using var peek = await _admin.GetAsync("v1/queues/paging/messages?peek=false");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "v1/files");
        upload.Headers.Add("Tus-Resumable", "1.0.0");
        using var noLength = await _admin.SendAsync(upload);

        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        await ProblemAssert.IsProblemAsync(peek, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.BadRequest, noLength.StatusCode);
        var parameters = Operation("/v1/files", "post")["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.Contains("Upload-Length", parameters);
    }

    [Fact]
    public void Problem_extension_members_are_declared_with_the_codes_that_carry_them()
    {
        var problem = _document["components"]!["schemas"]!["Problem"]!;
        var properties = problem["properties"]!.AsObject();

        Assert.Contains("text_too_long", properties["maxTextBytes"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("invalid_channel", properties["channel"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("invalid_attachment", properties["fileId"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("rate_limited", properties["retryAfterSeconds"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        // Closed, so a member a handler adds without declaring it breaks the contract check.
        Assert.False(problem["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_operation_but_the_anonymous_ones_declares_security_and_a_401()
    {
        string[] anonymous =
        [
            "GET /healthz", "GET /readyz", "GET /.well-known/jwks.json", "GET /.well-known/openid-configuration",
            "POST /v1/auth/register", "POST /v1/auth/token", "POST /v1/auth/refresh", "POST /v1/auth/logout",
            "OPTIONS /v1/files", "GET /v1/channels/{name}/webhook", "POST /v1/channels/{name}/webhook",
        ];

        var undeclared = Operations()
            .Where(o => !anonymous.Contains($"{o.Method} {o.Path}"))
            .Where(o => o.Operation["security"] is not JsonArray { Count: > 0 } || o.Operation["responses"]?["401"] is null)
            .Select(o => $"{o.Method} {o.Path}")
            .ToArray();

        Assert.Empty(undeclared);
        Assert.True(Operations().Count() > 90);
        using var anonymousClient = _server.CreateClient();
        using var stats = await anonymousClient.GetAsync("v1/stats");
        await ProblemAssert.IsProblemAsync(stats, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_wrong_declaration_makes_the_contract_check_fail_naming_operation_status_and_path()
    {
        // The deliberately wrong document: 'duplicate' declared as a string, and GetQueue's 404 removed.
        var wrong = _document.DeepClone().AsObject();
        wrong["components"]!["schemas"]!["PublishedResponse"]!["properties"]!["duplicate"] = new JsonObject { ["type"] = "string" };
        wrong["paths"]!["/v1/queues/{name}"]!["get"]!["responses"]!.AsObject().Remove("404");
        var contract = ApiContract.Parse(wrong.ToJsonString());
        await PostJsonAsync("v1/queues", new { name = "wrong" }, HttpStatusCode.Created);
        using var publish = await _admin.PostAsJsonAsync("v1/queues/wrong/messages", new { body = "x" });
        using var missing = await _admin.GetAsync("v1/queues/nowhere");

        var bodyViolations = contract.Check("POST", "/v1/queues/wrong/messages", 200, "application/json", await publish.Content.ReadAsByteArrayAsync());
        var statusViolations = contract.Check("GET", "/v1/queues/nowhere", 404, "application/problem+json", await missing.Content.ReadAsByteArrayAsync());

        var body = Assert.Single(bodyViolations);
        Assert.Contains("POST /v1/queues/{name}/messages (Publish) answered 200", body, StringComparison.Ordinal);
        Assert.Contains("$.duplicate", body, StringComparison.Ordinal);
        var status = Assert.Single(statusViolations);
        Assert.Contains("GET /v1/queues/{name} (GetQueue) answered 404, which the operation does not declare", status, StringComparison.Ordinal);
        Assert.Empty(ApiContract.Parse(_document.ToJsonString()).Check("GET", "/v1/queues/nowhere", 404, "application/problem+json",
            await missing.Content.ReadAsByteArrayAsync()));
    }

    private IEnumerable<(string Method, string Path, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (o.Key.ToUpperInvariant(), p.Key, o.Value!.AsObject())));

    private JsonObject Operation(string path, string method) => _document["paths"]![path]![method]!.AsObject();

    private string[] AnyOf(string path, string method) =>
        Operation(path, method)["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["anyOf"]!.AsArray()
            .Select(s => s!["$ref"]!.GetValue<string>().Split('/')[^1]).Order(StringComparer.Ordinal).ToArray();

    private static string[] Required(JsonNode schema) => schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();

    private async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode status)
    {
        using var response = await _admin.GetAsync(path);
        return await ExpectAsync(response, status);
    }

    private async Task<JsonElement> PostJsonAsync(string path, object body, HttpStatusCode status)
    {
        using var response = await _admin.PostAsJsonAsync(path, body);
        return await ExpectAsync(response, status);
    }

    private async Task<JsonElement> PatchJsonAsync(string path, object body, HttpStatusCode status)
    {
        using var response = await _admin.PatchAsJsonAsync(path, body);
        return await ExpectAsync(response, status);
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
