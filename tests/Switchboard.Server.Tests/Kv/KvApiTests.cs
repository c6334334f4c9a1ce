using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Kv;

/// <summary>The KV HTTP surface over a real server; the semantics are covered per engine in Engine.Tests.</summary>
public sealed class KvApiTests : IAsyncLifetime
{
    private const int MaxValueBytes = 4096;

    private RunningServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Kv:MaxValueBytes"] = MaxValueBytes.ToString() });
        _client = _server.CreateClient(await _server.LoginAsync());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_bucket_is_created_updated_read_listed_and_deleted()
    {
        using var created = await _client.PutAsJsonAsync("v1/kv/cache", new { defaultTtlSeconds = 60, maxValueBytes = 1000 });
        using var updated = await _client.PutAsJsonAsync("v1/kv/cache", new { defaultTtlSeconds = 30 });
        using var read = await _client.GetAsync("v1/kv/cache");
        using var list = await _client.GetAsync("v1/kv");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/kv/cache", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var bucket = await JsonAsync(read);
        Assert.Equal("cache", bucket.GetProperty("name").GetString());
        Assert.Equal(30, bucket.GetProperty("defaultTtlSeconds").GetInt32());
        Assert.Equal(JsonValueKind.Null, bucket.GetProperty("maxValueBytes").ValueKind);
        Assert.Equal(0, bucket.GetProperty("stats").GetProperty("keys").GetInt64());
        Assert.Equal(["cache"], (await JsonAsync(list)).GetProperty("items").EnumerateArray().Select(b => b.GetProperty("name").GetString()));

        using var deleted = await _client.DeleteAsync("v1/kv/cache");
        using var gone = await _client.GetAsync("v1/kv/cache");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound, "bucket_not_found");
    }

    [Fact]
    public async Task A_bucket_can_be_created_without_a_body()
    {
        using var response = await _client.PutAsync("v1/kv/plain", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var bucket = await JsonAsync(response);
        Assert.Equal(JsonValueKind.Null, bucket.GetProperty("defaultTtlSeconds").ValueKind);
    }

    [Fact]
    public async Task Raw_bytes_round_trip_with_their_content_type_revision_and_etag()
    {
        await CreateBucketAsync("cache");
        byte[] value = [0x89, 0x50, 0x4E, 0x47, 0, 255, 13, 10];

        using var created = await PutBytesAsync("v1/kv/cache/images/logo", value, "image/png");
        using var read = await _client.GetAsync("v1/kv/cache/images/logo");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var revision = body.GetProperty("revision").GetInt64();
        Assert.Equal($"\"{revision}\"", created.Headers.ETag?.Tag);
        Assert.Equal("images/logo", body.GetProperty("key").GetString());
        Assert.True(body.GetProperty("created").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(value, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{revision}\"", read.Headers.ETag?.Tag);
        Assert.Equal(revision.ToString(), read.Headers.GetValues("X-Kv-Revision").Single());

        using var replaced = await PutBytesAsync("v1/kv/cache/images/logo", "text"u8.ToArray(), "text/plain; charset=utf-8");
        using var reread = await _client.GetAsync("v1/kv/cache/images/logo");

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.False((await JsonAsync(replaced)).GetProperty("created").GetBoolean());
        Assert.Equal("text", await reread.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", reread.Content.Headers.ContentType?.ToString());
        Assert.NotEqual(read.Headers.ETag?.Tag, reread.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Keys_with_slashes_and_escaped_characters_address_the_same_key_everywhere()
    {
        await CreateBucketAsync("cache");

        using var put = await PutBytesAsync("v1/kv/cache/users/42/caf%C3%A9%20menu", [1], "application/octet-stream");
        using var get = await _client.GetAsync("v1/kv/cache/users/42/caf%C3%A9%20menu");
        using var list = await _client.GetAsync("v1/kv/cache?prefix=users/");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("/v1/kv/cache/users/42/caf%C3%A9%20menu", put.Headers.Location?.OriginalString);
        Assert.Equal("users/42/café menu", (await JsonAsync(put)).GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(["users/42/café menu"], (await JsonAsync(list)).GetProperty("items").EnumerateArray().Select(k => k.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task If_match_is_compare_and_set_and_a_stale_etag_is_a_412_revision_mismatch()
    {
        await CreateBucketAsync("cache");
        using var first = await PutBytesAsync("v1/kv/cache/k", [1], null);
        using var second = await PutBytesAsync("v1/kv/cache/k", [2], null);

        using var stale = await PutBytesAsync("v1/kv/cache/k", [3], null, r => r.Headers.IfMatch.Add(first.Headers.ETag!));
        using var current = await PutBytesAsync("v1/kv/cache/k", [4], null, r => r.Headers.IfMatch.Add(second.Headers.ETag!));
        using var read = await _client.GetAsync("v1/kv/cache/k");

        var problem = await ProblemAssert.IsProblemAsync(stale, HttpStatusCode.PreconditionFailed, "revision_mismatch");
        Assert.Equal((await JsonAsync(second)).GetProperty("revision").GetInt64(), problem.GetProperty("currentRevision").GetInt64());
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal([4], await read.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task If_none_match_star_creates_only_and_is_a_412_key_exists_when_the_key_is_there()
    {
        await CreateBucketAsync("cache");

        using var created = await PutBytesAsync("v1/kv/cache/lock", [1], null, r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any));
        using var again = await PutBytesAsync("v1/kv/cache/lock", [2], null, r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.PreconditionFailed, "key_exists");
    }

    [Fact]
    public async Task A_read_with_the_current_etag_in_if_none_match_is_a_304_and_counts_as_a_hit()
    {
        await CreateBucketAsync("cache");
        using var first = await PutBytesAsync("v1/kv/cache/k", [1], null);

        using var notModified = await SendAsync(HttpMethod.Get, "v1/kv/cache/k", r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        using var second = await PutBytesAsync("v1/kv/cache/k", [2], null);
        using var modified = await SendAsync(HttpMethod.Get, "v1/kv/cache/k", r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        using var missing = await _client.GetAsync("v1/kv/cache/absent");
        using var bucket = await _client.GetAsync("v1/kv/cache");

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(first.Headers.ETag?.Tag, notModified.Headers.ETag?.Tag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal([2], await modified.Content.ReadAsByteArrayAsync());
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "key_not_found");
        var stats = (await JsonAsync(bucket)).GetProperty("stats");
        Assert.Equal(2, stats.GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("misses").GetInt64());
        Assert.Equal(1, stats.GetProperty("keys").GetInt64());
        Assert.Equal(1, stats.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Delete_honours_if_match_and_then_the_key_is_a_404_key_not_found()
    {
        await CreateBucketAsync("cache");
        using var first = await PutBytesAsync("v1/kv/cache/k", [1], null);
        using var second = await PutBytesAsync("v1/kv/cache/k", [2], null);

        using var stale = await SendAsync(HttpMethod.Delete, "v1/kv/cache/k", r => r.Headers.IfMatch.Add(first.Headers.ETag!));
        using var current = await SendAsync(HttpMethod.Delete, "v1/kv/cache/k", r => r.Headers.IfMatch.Add(second.Headers.ETag!));
        using var read = await _client.GetAsync("v1/kv/cache/k");
        using var again = await _client.DeleteAsync("v1/kv/cache/k");

        await ProblemAssert.IsProblemAsync(stale, HttpStatusCode.PreconditionFailed, "revision_mismatch");
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
        await ProblemAssert.IsProblemAsync(read, HttpStatusCode.NotFound, "key_not_found");
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound, "key_not_found");
    }

    [Fact]
    public async Task Keys_are_listed_by_prefix_a_page_at_a_time_with_a_cursor()
    {
        await CreateBucketAsync("cache");
        foreach (var key in new[] { "orders/1", "users/a", "users/b", "users/c", "users/d", "users/e" })
        {
            using var put = await PutBytesAsync($"v1/kv/cache/{key}", [1, 2], null);
        }

        var keys = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await _client.GetAsync($"v1/kv/cache?prefix=users/&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await JsonAsync(response);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                keys.Add(item.GetProperty("key").GetString()!);
                Assert.Equal(2, item.GetProperty("size").GetInt32());
                Assert.True(item.GetProperty("revision").GetInt64() > 0);
                Assert.Equal(JsonValueKind.Null, item.GetProperty("expiresAt").ValueKind);
            }
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(["users/a", "users/b", "users/c", "users/d", "users/e"], keys);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_key_written_with_ttl_seconds_reports_its_expiry_and_then_disappears()
    {
        await CreateBucketAsync("cache");

        using var put = await PutBytesAsync("v1/kv/cache/short?ttlSeconds=1", [1], null);
        var expiresAt = (await JsonAsync(put)).GetProperty("expiresAt").GetDateTimeOffset();
        using var read = await _client.GetAsync("v1/kv/cache/short");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        if (read.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(expiresAt, DateTimeOffset.Parse(read.Headers.GetValues("X-Kv-Expires-At").Single()));
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using var poll = await _client.GetAsync("v1/kv/cache/short");
            status = poll.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Theory]
    [InlineData("bad!name")]
    [InlineData("has%20space")]
    [InlineData("a-name-that-is-longer-than-sixty-four-characters-is-refused-by-kv")]
    public async Task A_bad_bucket_name_is_a_400_invalid_name(string bucket)
    {
        using var put = await _client.PutAsync($"v1/kv/{bucket}", null);
        using var putKey = await PutBytesAsync($"v1/kv/{bucket}/k", [1], null);

        await ProblemAssert.IsProblemAsync(put, HttpStatusCode.BadRequest, "invalid_name");
        await ProblemAssert.IsProblemAsync(putKey, HttpStatusCode.BadRequest, "invalid_name");
    }

    [Fact]
    public async Task An_unknown_bucket_is_a_404_bucket_not_found_for_every_operation()
    {
        using var getBucket = await _client.GetAsync("v1/kv/nope");
        using var list = await _client.GetAsync("v1/kv/nope?prefix=a");
        using var putKey = await PutBytesAsync("v1/kv/nope/k", [1], null);
        using var getKey = await _client.GetAsync("v1/kv/nope/k");
        using var deleteKey = await _client.DeleteAsync("v1/kv/nope/k");
        using var deleteBucket = await _client.DeleteAsync("v1/kv/nope");

        foreach (var response in new[] { getBucket, list, putKey, getKey, deleteKey, deleteBucket })
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "bucket_not_found");
        }
    }

    [Fact]
    public async Task A_value_over_the_limit_is_a_413_whether_its_length_is_declared_or_streamed()
    {
        await CreateBucketAsync("cache");
        using var small = await _client.PutAsJsonAsync("v1/kv/small", new { maxValueBytes = 10 });

        using var declared = await PutBytesAsync("v1/kv/cache/big", new byte[MaxValueBytes + 1], null);
        using var streamed = await SendAsync(HttpMethod.Put, "v1/kv/cache/big", r =>
        {
            r.Content = new StreamContent(new MemoryStream(new byte[MaxValueBytes * 3]));
            r.Headers.TransferEncodingChunked = true;
        });
        using var overBucketLimit = await PutBytesAsync("v1/kv/small/big", new byte[11], null);
        using var fits = await PutBytesAsync("v1/kv/cache/fits", new byte[MaxValueBytes], null);
        using var missing = await _client.GetAsync("v1/kv/cache/big");

        await ProblemAssert.IsProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await ProblemAssert.IsProblemAsync(streamed, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        var problem = await ProblemAssert.IsProblemAsync(overBucketLimit, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(10, problem.GetProperty("maxValueBytes").GetInt32());
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "key_not_found");
    }

    [Fact]
    public async Task Bad_keys_headers_and_parameters_are_4xx_problems_never_5xx()
    {
        await CreateBucketAsync("cache");
        using var seed = await PutBytesAsync("v1/kv/cache/k", [1], null);

        var cases = new (HttpResponseMessage Response, HttpStatusCode Status, string Code)[]
        {
            (await PutBytesAsync("v1/kv/cache/a%01b", [1], null), HttpStatusCode.BadRequest, "invalid_key"),
            (await PutBytesAsync("v1/kv/cache/", [1], null), HttpStatusCode.BadRequest, "invalid_key"),
            (await _client.GetAsync("v1/kv/cache/"), HttpStatusCode.BadRequest, "invalid_key"),
            (await _client.GetAsync("v1/kv/cache/tab%09key"), HttpStatusCode.BadRequest, "invalid_key"),
            (await PutBytesAsync("v1/kv/cache/" + new string('k', 513), [1], null), HttpStatusCode.BadRequest, "invalid_key"),
            (await PutBytesAsync("v1/kv/cache/k?ttlSeconds=-5", [1], null), HttpStatusCode.BadRequest, "validation_failed"),
            (await PutBytesAsync("v1/kv/cache/k?ttlSeconds=soon", [1], null), HttpStatusCode.BadRequest, "validation_failed"),
            (await PutBytesAsync("v1/kv/cache/k", [1], null, r => r.Headers.TryAddWithoutValidation("If-Match", "not-an-etag")), HttpStatusCode.BadRequest, "bad_request"),
            (await PutBytesAsync("v1/kv/cache/k", [1], null, r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"")), HttpStatusCode.BadRequest, "bad_request"),
            (await _client.PutAsync("v1/kv/cache", new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed_json"),
            (await _client.PutAsJsonAsync("v1/kv/cache", new { defaultTtlSeconds = -1 }), HttpStatusCode.BadRequest, "validation_failed"),
            (await _client.PutAsJsonAsync("v1/kv/cache", new { maxValueBytes = MaxValueBytes + 1 }), HttpStatusCode.BadRequest, "validation_failed"),
            (await _client.GetAsync("v1/kv/cache?cursor=%%%"), HttpStatusCode.BadRequest, "validation_failed"),
            (await _client.GetAsync("v1/kv/cache?limit=0"), HttpStatusCode.BadRequest, "validation_failed"),
            (await _client.GetAsync("v1/kv/cache?prefix=a%0Ab"), HttpStatusCode.BadRequest, "validation_failed"),
        };

        foreach (var (response, status, code) in cases)
        {
            await ProblemAssert.IsProblemAsync(response, status, code);
            response.Dispose();
        }
    }

    [Fact]
    public async Task Requests_without_credentials_are_refused_with_401()
    {
        using var anonymous = _server.CreateClient();

        using var response = await anonymous.GetAsync("v1/kv");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task CreateBucketAsync(string name)
    {
        using var response = await _client.PutAsync($"v1/kv/{name}", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PutBytesAsync(string url, byte[] value, string? contentType, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Put, url, request =>
        {
            request.Content = new ByteArrayContent(value);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
            configure?.Invoke(request);
        });

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(method, url);
        configure(request);
        return _client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
