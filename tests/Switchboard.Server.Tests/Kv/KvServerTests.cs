using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Kv;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Testing;

namespace Switchboard.Server.Tests.Kv;

/// <summary>KV as part of the running server: its timer, its configuration, and both engines behind the same API.</summary>
public sealed class KvServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_server_timer_sweeps_expired_keys_and_stores_read_counts(string engine)
    {
        await using var server = await RunningServer.StartAsync(await EngineSettingsAsync(engine));
        var kv = server.Services.GetRequiredService<KvService>();
        var store = server.Services.GetRequiredService<IKvStore>();
        await kv.PutBucketAsync("sessions", 1, null).WaitAsync(Timeout);
        await kv.PutAsync("sessions", "s1", [1, 2, 3], null, null, null).WaitAsync(Timeout);
        await kv.GetAsync("sessions", "s1").WaitAsync(Timeout);

        // Read from the store, not the service: only what the timer stored counts here.
        var deadline = DateTime.UtcNow + Timeout;
        KvBucketStats stats;
        do
        {
            await Task.Delay(100);
            stats = (await store.GetBucketAsync("sessions", CancellationToken.None).WaitAsync(Timeout))!.Stats;
        }
        while ((stats.Expirations == 0 || stats.Hits == 0) && DateTime.UtcNow < deadline);

        Assert.Equal(new KvBucketStats(Keys: 0, Bytes: 0, Hits: 1, Misses: 0, Expirations: 1), stats);
    }

    [Fact]
    public async Task The_same_api_works_on_the_postgres_engine()
    {
        await using var server = await RunningServer.StartAsync(await EngineSettingsAsync("postgres"));
        using var client = server.CreateClient(await server.LoginAsync());

        using var unknown = await client.PutAsync("v1/kv/cache/k", new ByteArrayContent([7, 8, 9]));
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, "bucket_not_found");
        await ExerciseExpiryAsync(client);
    }

    [Theory]
    [InlineData("Kv:MaxValueBytes", "0")]
    [InlineData("Kv:SweepInterval", "00:00:00")]
    public async Task Invalid_kv_settings_stop_the_start_with_a_message_naming_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            RunningServer.StartAsync(new Dictionary<string, string?> { [key] = value }).WaitAsync(Timeout));

        Assert.Contains(key + ":", error.Message);
    }

    /// <summary>A key with a 1 s TTL disappears, the timer removes it and counts it; hits and misses reach the store.</summary>
    private static async Task ExerciseExpiryAsync(HttpClient client)
    {
        using (var bucket = await client.PutAsJsonAsync("v1/kv/sessions", new { defaultTtlSeconds = 1 }))
        {
            Assert.Equal(HttpStatusCode.Created, bucket.StatusCode);
        }
        using (var put = await client.PutAsync("v1/kv/sessions/s1", new ByteArrayContent([1, 2, 3])))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        using (var hit = await client.GetAsync("v1/kv/sessions/s1"))
        {
            Assert.Equal([1, 2, 3], await hit.Content.ReadAsByteArrayAsync());
        }

        var deadline = DateTime.UtcNow + Timeout;
        JsonElement stats;
        do
        {
            await Task.Delay(100);
            using var response = await client.GetAsync("v1/kv/sessions");
            stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("stats").Clone();
        }
        while (stats.GetProperty("expirations").GetInt64() == 0 && DateTime.UtcNow < deadline);

        Assert.Equal(1, stats.GetProperty("expirations").GetInt64());
        Assert.Equal(0, stats.GetProperty("keys").GetInt64());
        Assert.Equal(0, stats.GetProperty("bytes").GetInt64());
        Assert.Equal(1, stats.GetProperty("hits").GetInt64());
        using var gone = await client.GetAsync("v1/kv/sessions/s1");
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound, "key_not_found");
    }

    private static async Task<Dictionary<string, string?>> EngineSettingsAsync(string engine)
    {
        var settings = new Dictionary<string, string?> { ["Kv:SweepInterval"] = "00:00:00.200", ["Storage:Engine"] = engine };
        if (engine == "postgres")
        {
            settings["Storage:Postgres:ConnectionString"] = await TestPostgres.NewDatabaseAsync();
        }
        return settings;
    }
}
