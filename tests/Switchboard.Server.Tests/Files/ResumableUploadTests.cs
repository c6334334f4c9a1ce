using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Testing;

namespace Switchboard.Server.Tests.Files;

/// <summary>Uploads that resume after an interruption, a 2 GiB upload streamed in 64 MiB PATCHes, and the PostgreSQL engine.</summary>
public sealed class ResumableUploadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_upload_cancelled_mid_patch_resumes_from_the_offset_head_reports_and_completes_byte_identical()
    {
        await using var files = await FilesFixture.StartAsync();
        const ulong seed = 20;
        const long length = 24L * 1024 * 1024;
        var sha = Convert.ToHexStringLower(GeneratedContent.Sha256(seed, length));
        var location = await files.Alice.CreateAsync(length, "movie.mkv", "video/x-matroska", sha).WaitAsync(Timeout);

        // The body declares the whole length, sends 5 MiB, then stalls until the client gives up on the request.
        var stalled = new GeneratedStream(seed, 0, length, pauseAfter: 5L * 1024 * 1024);
        using var cancel = new CancellationTokenSource();
        var content = new StreamContent(stalled) { Headers = { ContentLength = length } };
        var patch = files.Alice.PatchAsync(location, 0, content, cancellationToken: cancel.Token);
        await stalled.Paused.Task.WaitAsync(Timeout);
        await Task.Delay(500);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patch).WaitAsync(Timeout);

        // The server keeps what arrived; once it has recorded that, HEAD reports it.
        var offset = 0L;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (offset == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            offset = await files.Alice.OffsetAsync(location).WaitAsync(Timeout);
        }
        Assert.InRange(offset, 1, 5L * 1024 * 1024);

        var final = await ResumeAsync(files.Alice, location, seed, offset, length).WaitAsync(Timeout);

        Assert.Equal(length, final);
        var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
        Assert.Equal("complete", info.GetProperty("status").GetString());
        Assert.Equal(sha, info.GetProperty("sha256").GetString());
        await using var stored = File.OpenRead(files.PathOf(location));
        Assert.Equal(sha, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored).AsTask().WaitAsync(Timeout)));
        using var download = await files.Alice.Http.GetAsync(location, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        await using var body = await download.Content.ReadAsStreamAsync();
        Assert.Equal(sha, Convert.ToHexStringLower(await SHA256.HashDataAsync(body).AsTask().WaitAsync(Timeout)));
    }

    [Fact]
    public async Task An_upload_resumes_after_a_server_restart_by_rehashing_the_stored_prefix()
    {
        await using var files = await FilesFixture.StartAsync();
        const ulong seed = 21;
        const long length = 3L * 1024 * 1024;
        var sha = Convert.ToHexStringLower(GeneratedContent.Sha256(seed, length));
        var location = await files.Alice.CreateAsync(length, sha256: sha).WaitAsync(Timeout);
        await files.Alice.AppendAsync(location, 0, new StreamContent(new GeneratedStream(seed, 0, 1_000_000)) { Headers = { ContentLength = 1_000_000 } }).WaitAsync(Timeout);

        await files.Server.RestartAsync().WaitAsync(Timeout);
        var token = (await Identity.IdentityApi.LoginAsync(files.Server, "alice", FilesFixture.Password)).Access;
        using var http = files.Server.CreateClient(token);
        var alice = new TusClient(http);

        Assert.Equal(1_000_000, await alice.OffsetAsync(location).WaitAsync(Timeout));
        Assert.Equal(length, await ResumeAsync(alice, location, seed, 1_000_000, length).WaitAsync(Timeout));
        var info = await http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
        Assert.Equal(sha, info.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_node_without_the_stored_bytes_refuses_to_continue_with_a_problem_that_says_how_to_fix_it()
    {
        await using var files = await FilesFixture.StartAsync();
        var location = await files.Alice.CreateAsync(100).WaitAsync(Timeout);
        await files.Alice.AppendAsync(location, 0, new ByteArrayContent(new byte[40])).WaitAsync(Timeout);
        // As on a second node whose files folder is not shared: the metadata says 40 bytes, the disk has none.
        File.Delete(files.PathOf(location));

        using var response = await files.Alice.PatchAsync(location, 40, new byte[10]).WaitAsync(Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Contains("Files:Path", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(40, await files.Alice.OffsetAsync(location).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_2_GiB_upload_from_a_generated_stream_completes_in_64_MiB_patches_with_its_sha256_verified()
    {
        // Over the server-wide body limit on purpose: the PATCH route sets its own limit.
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "8388608" });
        const ulong seed = 2048;
        const long length = 2L * 1024 * 1024 * 1024;
        const long chunk = 64L * 1024 * 1024;
        var sha = Convert.ToHexStringLower(GeneratedContent.Sha256(seed, length));
        var location = await files.Alice.CreateAsync(length, "big.bin", sha256: sha).WaitAsync(Timeout);
        try
        {
            long offset = 0;
            while (offset < length)
            {
                var size = Math.Min(chunk, length - offset);
                var content = new StreamContent(new GeneratedStream(seed, offset, size), 1024 * 1024) { Headers = { ContentLength = size } };
                offset = await files.Alice.AppendAsync(location, offset, content).WaitAsync(Timeout);
            }

            var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
            Assert.Equal("complete", info.GetProperty("status").GetString());
            Assert.Equal(sha, info.GetProperty("sha256").GetString());
            Assert.Equal(length, info.GetProperty("length").GetInt64());
            Assert.Equal(length, new FileInfo(files.PathOf(location)).Length);

            // A range near the end matches the generated bytes at that position.
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(length - 70_000, length - 1);
            using var tail = await files.Alice.Http.SendAsync(request).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
            Assert.Equal(GeneratedContent.Bytes(seed, length - 70_000, 70_000), await tail.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            using var delete = await files.Alice.DeleteAsync(location).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            Assert.False(File.Exists(files.PathOf(location)));
        }
    }

    [Fact]
    public async Task The_same_flow_works_on_the_postgres_engine()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Engine"] = "postgres",
            ["Storage:Postgres:ConnectionString"] = await TestPostgres.NewDatabaseAsync(),
            ["Files:QuotaBytesPerUser"] = "4000000",
        });
        const ulong seed = 22;
        const long length = 2_500_000;
        var sha = Convert.ToHexStringLower(GeneratedContent.Sha256(seed, length));
        var location = await files.Alice.CreateAsync(length, "pg.bin", sha256: sha).WaitAsync(Timeout);

        Assert.Equal(length, await ResumeAsync(files.Alice, location, seed, 0, length, chunk: 1_000_000).WaitAsync(Timeout));
        using var download = await files.Alice.Http.GetAsync(location).WaitAsync(Timeout);
        Assert.Equal(GeneratedContent.Bytes(seed, 0, (int)length), await download.Content.ReadAsByteArrayAsync());
        using (var other = await files.Bob.Http.GetAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
        using var over = await files.Alice.CreateRawAsync(2_000_000, null).WaitAsync(Timeout);
        await Infrastructure.ProblemAssert.IsProblemAsync(over, HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
    }

    /// <summary>Sends the rest of the generated file from <paramref name="offset"/>, in chunks, and returns the final offset.</summary>
    private static async Task<long> ResumeAsync(TusClient tus, string location, ulong seed, long offset, long length, long chunk = 8L * 1024 * 1024)
    {
        while (offset < length)
        {
            var size = Math.Min(chunk, length - offset);
            var content = new StreamContent(new GeneratedStream(seed, offset, size)) { Headers = { ContentLength = size } };
            offset = await tus.AppendAsync(location, offset, content);
        }
        return offset;
    }
}
