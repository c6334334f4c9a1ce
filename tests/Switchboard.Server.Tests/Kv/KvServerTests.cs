using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Kv;

/// <summary>KV as part of the running server: its timer, its configuration, and both engines behind the same API.</summary>
public sealed class KvServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_server_timer_sweeps_expired_keys_and_stores_read_counts()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Kv:SweepInterval"] = "00:00:00.200" });
        using var client = server.CreateClient(await server.LoginAsync());
        await ExerciseExpiryAsync(client);
    }

    [Fact]
    public async Task The_same_api_works_on_the_postgres_engine()
    {
        var connectionString = await NewPostgresDatabaseAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Engine"] = "postgres",
            ["Storage:Postgres:ConnectionString"] = connectionString,
            ["Kv:SweepInterval"] = "00:00:00.200",
        });
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

    private static async Task<string> NewPostgresDatabaseAsync()
    {
        var admin = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=5432;Username=switchboard;Password=switchboard;Database=postgres;Timeout=5";
        var name = "sb_test_" + Guid.NewGuid().ToString("n")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync().WaitAsync(Timeout);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync().WaitAsync(Timeout);
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }
}
