using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Files;

/// <summary>The tus 1.0 protocol at /v1/files over real HTTP: creation, offsets, checksums, termination, errors.</summary>
public sealed class TusProtocolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Options_lists_the_version_extensions_maximum_size_and_checksum_algorithms_without_credentials()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = "123456" });
        using var anonymous = files.Server.CreateClient();

        using var response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Options, "v1/files")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("creation,creation-with-upload,termination,expiration,checksum", response.Headers.GetValues("Tus-Extension").Single());
        Assert.Equal("123456", response.Headers.GetValues("Tus-Max-Size").Single());
        Assert.Equal("sha1,sha256", response.Headers.GetValues("Tus-Checksum-Algorithm").Single());
    }

    [Fact]
    public async Task A_full_tus_flow_creates_patches_in_chunks_completes_and_downloads_the_same_bytes()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(1, 0, 300_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        using var create = await files.Alice.CreateRawAsync(bytes.Length,
            TusClient.Metadata(("filename", "report.pdf"), ("filetype", "application/pdf"), ("sha256", sha))).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal("1.0.0", create.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal("0", create.Headers.GetValues("Upload-Offset").Single());
        Assert.True(DateTimeOffset.Parse(create.Headers.GetValues("Upload-Expires").Single()) > DateTimeOffset.UtcNow.AddHours(23));
        var location = create.Headers.Location!.OriginalString;
        Assert.Matches("^/v1/files/[0-9a-f-]{36}$", location);
        location = location.TrimStart('/');

        using (var head = await files.Alice.HeadAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("0", head.Headers.GetValues("Upload-Offset").Single());
            Assert.Equal("300000", head.Headers.GetValues("Upload-Length").Single());
            Assert.Equal("no-store", head.Headers.CacheControl!.ToString());
            Assert.Contains("filename " + Convert.ToBase64String("report.pdf"u8.ToArray()), head.Headers.GetValues("Upload-Metadata").Single());
        }

        long offset = 0;
        foreach (var size in new[] { 100_000, 150_000, 50_000 })
        {
            offset = await files.Alice.AppendAsync(location, offset, new ByteArrayContent(bytes[(int)offset..(int)(offset + size)])).WaitAsync(Timeout);
            Assert.Equal(offset, await files.Alice.OffsetAsync(location).WaitAsync(Timeout));
        }
        Assert.Equal(bytes.Length, offset);

        var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
        Assert.Equal("complete", info.GetProperty("status").GetString());
        Assert.Equal(sha, info.GetProperty("sha256").GetString());
        Assert.Equal("report.pdf", info.GetProperty("name").GetString());
        Assert.Equal("application/pdf", info.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, info.GetProperty("expiresAt").ValueKind);

        using var download = await files.Alice.Http.GetAsync(location).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{sha}\"", download.Headers.ETag!.Tag);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("report.pdf", download.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("bytes", download.Headers.AcceptRanges.Single());
        Assert.Equal(bytes.Length, new FileInfo(files.PathOf(location)).Length);
    }

    [Fact]
    public async Task Creation_with_upload_stores_the_first_bytes_in_the_post()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(2, 0, 10_000);
        var content = new ByteArrayContent(bytes[..4000]);
        content.Headers.ContentType = new MediaTypeHeaderValue(TusClient.OffsetContentType);

        using var create = await files.Alice.CreateRawAsync(bytes.Length, TusClient.Metadata(("filename", "a.bin")), content).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal("4000", create.Headers.GetValues("Upload-Offset").Single());
        var location = create.Headers.Location!.OriginalString.TrimStart('/');
        Assert.Equal(10_000, await files.Alice.AppendAsync(location, 4000, new ByteArrayContent(bytes[4000..])).WaitAsync(Timeout));

        Assert.Equal(bytes, await files.Alice.Http.GetByteArrayAsync(location).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_zero_length_upload_is_complete_at_creation()
    {
        await using var files = await FilesFixture.StartAsync();

        var location = await files.Alice.CreateAsync(0, "empty.txt", "text/plain").WaitAsync(Timeout);
        var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);

        Assert.Equal("complete", info.GetProperty("status").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), info.GetProperty("sha256").GetString());
        Assert.Empty(await files.Alice.Http.GetByteArrayAsync(location).WaitAsync(Timeout));
    }

    [Fact]
    public async Task The_declared_sha256_may_be_base64_and_without_one_the_server_computes_and_keeps_it()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(3, 0, 5000);
        var digest = SHA256.HashData(bytes);

        var declared = await files.Alice.CreateAsync(bytes.Length, sha256: Convert.ToBase64String(digest)).WaitAsync(Timeout);
        await files.Alice.AppendAsync(declared, 0, new ByteArrayContent(bytes)).WaitAsync(Timeout);
        var undeclared = await files.Alice.CreateAsync(bytes.Length).WaitAsync(Timeout);
        await files.Alice.AppendAsync(undeclared, 0, new ByteArrayContent(bytes)).WaitAsync(Timeout);

        foreach (var location in new[] { declared, undeclared })
        {
            var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
            Assert.Equal("complete", info.GetProperty("status").GetString());
            Assert.Equal(Convert.ToHexStringLower(digest), info.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public async Task A_wrong_whole_file_checksum_is_rejected_the_upload_failed_and_its_bytes_deleted()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?> { ["Files:QuotaBytesPerUser"] = "150000" });
        var bytes = GeneratedContent.Bytes(4, 0, 100_000);
        var wrong = Convert.ToHexStringLower(SHA256.HashData(bytes[1..]));
        var location = await files.Alice.CreateAsync(bytes.Length, sha256: wrong).WaitAsync(Timeout);
        await files.Alice.AppendAsync(location, 0, new ByteArrayContent(bytes[..60_000])).WaitAsync(Timeout);
        Assert.True(File.Exists(files.PathOf(location)));

        using var last = await files.Alice.PatchAsync(location, 60_000, bytes[60_000..]).WaitAsync(Timeout);

        var problem = await ProblemAssert.IsProblemAsync(last, (HttpStatusCode)460, "checksum_mismatch");
        Assert.Equal(wrong, problem.GetProperty("expectedSha256").GetString());
        Assert.Equal("1.0.0", last.Headers.GetValues("Tus-Resumable").Single());
        Assert.False(File.Exists(files.PathOf(location)));
        Assert.Empty(files.StoredFiles());
        using (var head = await files.Alice.HeadAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
        }
        using (var download = await files.Alice.Http.GetAsync(location).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(download, HttpStatusCode.Gone, "upload_failed");
        }
        var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
        Assert.Equal("failed", info.GetProperty("status").GetString());

        // Its reservation is released: the quota has room for a new upload of the same size.
        await files.UploadAsync(bytes).WaitAsync(Timeout);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha1")]
    public async Task A_chunk_that_fails_its_upload_checksum_gets_460_and_is_discarded_a_correct_one_is_kept(string algorithm)
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(5, 0, 20_000);
        var location = await files.Alice.CreateAsync(bytes.Length, sha256: Convert.ToHexStringLower(SHA256.HashData(bytes))).WaitAsync(Timeout);
        byte[] Digest(byte[] data) => algorithm == "sha1" ? SHA1.HashData(data) : SHA256.HashData(data);
        var first = bytes[..8000];
        var corrupted = (byte[])first.Clone();
        corrupted[100] ^= 0xFF;

        using (var bad = await files.Alice.PatchAsync(location, 0, corrupted, $"{algorithm} {Convert.ToBase64String(Digest(first))}").WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(bad, (HttpStatusCode)460, "chunk_checksum_mismatch");
        }
        Assert.Equal(0, await files.Alice.OffsetAsync(location).WaitAsync(Timeout));

        using (var good = await files.Alice.PatchAsync(location, 0, first, $"{algorithm} {Convert.ToBase64String(Digest(first))}").WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        }
        var rest = bytes[8000..];
        using (var last = await files.Alice.PatchAsync(location, 8000, rest, $"{algorithm} {Convert.ToBase64String(Digest(rest))}").WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        }
        Assert.Equal(bytes, await files.Alice.Http.GetByteArrayAsync(location).WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_unsupported_checksum_algorithm_is_a_400()
    {
        await using var files = await FilesFixture.StartAsync();
        var location = await files.Alice.CreateAsync(10).WaitAsync(Timeout);

        using var response = await files.Alice.PatchAsync(location, 0, new byte[10], "md5 " + Convert.ToBase64String(MD5.HashData(new byte[10]))).WaitAsync(Timeout);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "checksum_algorithm_unsupported");
    }

    [Fact]
    public async Task A_patch_at_the_wrong_offset_is_a_409_and_changes_nothing()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(6, 0, 1000);
        var location = await files.Alice.CreateAsync(bytes.Length).WaitAsync(Timeout);
        await files.Alice.AppendAsync(location, 0, new ByteArrayContent(bytes[..400])).WaitAsync(Timeout);

        using var response = await files.Alice.PatchAsync(location, 300, bytes[300..]).WaitAsync(Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "offset_mismatch");
        Assert.Equal(400, problem.GetProperty("uploadOffset").GetInt64());
        Assert.Equal(400, await files.Alice.OffsetAsync(location).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Bad_requests_get_problems_with_codes_and_the_tus_header()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = "1000" });
        var tus = files.Alice;

        using (var tooLong = await tus.CreateRawAsync(1001, null).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.RequestEntityTooLarge, "upload_too_large");
            Assert.Equal("1.0.0", tooLong.Headers.GetValues("Tus-Resumable").Single());
        }
        using (var noLength = new HttpRequestMessage(HttpMethod.Post, "v1/files"))
        {
            noLength.Headers.Add("Tus-Resumable", "1.0.0");
            using var response = await tus.Http.SendAsync(noLength).WaitAsync(Timeout);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "bad_request");
        }
        using (var badMetadata = await tus.CreateRawAsync(10, "filename not*base64!").WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(badMetadata, HttpStatusCode.BadRequest, "bad_request");
        }
        using (var badSha = await tus.CreateRawAsync(10, TusClient.Metadata(("sha256", "abc"))).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(badSha, HttpStatusCode.BadRequest, "validation_failed");
        }
        using (var oldVersion = new HttpRequestMessage(HttpMethod.Post, "v1/files"))
        {
            oldVersion.Headers.Add("Tus-Resumable", "0.2.2");
            oldVersion.Headers.Add("Upload-Length", "10");
            using var response = await tus.Http.SendAsync(oldVersion).WaitAsync(Timeout);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.PreconditionFailed, "tus_version_unsupported");
            Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        }

        var location = await tus.CreateAsync(100).WaitAsync(Timeout);
        using (var wrongType = await tus.PatchAsync(location, 0, new ByteArrayContent(new byte[10]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        }
        using (var pastTheEnd = await tus.PatchAsync(location, 0, new byte[101]).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(pastTheEnd, HttpStatusCode.RequestEntityTooLarge, "upload_too_large");
        }
        // Chunked (no Content-Length): the overrun is found while reading, and the chunk is discarded.
        using (var chunked = await tus.PatchAsync(location, 0, new StreamContent(new GeneratedStream(9, 0, 150))).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge, "upload_too_large");
        }
        Assert.Equal(0, await tus.OffsetAsync(location).WaitAsync(Timeout));
        using (var noOffset = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(new byte[1]) })
        {
            noOffset.Content.Headers.ContentType = new MediaTypeHeaderValue(TusClient.OffsetContentType);
            using var response = await tus.Http.SendAsync(noOffset).WaitAsync(Timeout);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "bad_request");
        }
        using (var notAnId = await tus.Http.GetAsync("v1/files/not-an-id").WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(notAnId, HttpStatusCode.NotFound, "file_not_found");
        }
        using (var incomplete = await tus.Http.GetAsync(location).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(incomplete, HttpStatusCode.Conflict, "upload_incomplete");
        }
        using (var anonymous = files.Server.CreateClient())
        using (var unauthenticated = await anonymous.GetAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
            Assert.Equal("1.0.0", unauthenticated.Headers.GetValues("Tus-Resumable").Single());
        }
    }

    [Fact]
    public async Task The_quota_counts_complete_files_and_reserved_uploads_and_refuses_creation_past_it()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?> { ["Files:QuotaBytesPerUser"] = "10000" });
        await files.UploadAsync(GeneratedContent.Bytes(7, 0, 6000)).WaitAsync(Timeout);
        var reserved = await files.Alice.CreateAsync(3000).WaitAsync(Timeout);

        using var over = await files.Alice.CreateRawAsync(1001, null).WaitAsync(Timeout);

        var problem = await ProblemAssert.IsProblemAsync(over, HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
        Assert.Equal(10000, problem.GetProperty("quotaBytes").GetInt64());
        Assert.Equal(9000, problem.GetProperty("usedBytes").GetInt64());
        await files.Bob.CreateAsync(10000).WaitAsync(Timeout);

        // Terminating the reserved upload gives its room back.
        using (var delete = await files.Alice.DeleteAsync(reserved).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        await files.Alice.CreateAsync(4000).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Termination_deletes_the_upload_and_its_bytes()
    {
        await using var files = await FilesFixture.StartAsync();
        var location = await files.Alice.CreateAsync(1000).WaitAsync(Timeout);
        await files.Alice.AppendAsync(location, 0, new ByteArrayContent(new byte[500])).WaitAsync(Timeout);
        Assert.True(File.Exists(files.PathOf(location)));

        using (var delete = await files.Alice.DeleteAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            Assert.Equal("1.0.0", delete.Headers.GetValues("Tus-Resumable").Single());
        }

        Assert.False(File.Exists(files.PathOf(location)));
        using var head = await files.Alice.HeadAsync(location).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var again = await files.Alice.DeleteAsync(location).WaitAsync(Timeout);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound, "file_not_found");
    }

    [Fact]
    public async Task An_expired_incomplete_upload_is_swept_with_its_bytes_and_a_complete_file_stays()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?> { ["Files:IncompleteUploadExpiry"] = "00:00:01" });
        var complete = await files.UploadAsync(GeneratedContent.Bytes(8, 0, 1000)).WaitAsync(Timeout);
        var abandoned = await files.Alice.CreateAsync(1000).WaitAsync(Timeout);
        await files.Alice.AppendAsync(abandoned, 0, new ByteArrayContent(new byte[300])).WaitAsync(Timeout);
        Assert.True(File.Exists(files.PathOf(abandoned)));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var removed = await files.Files.SweepAsync().WaitAsync(Timeout);

        Assert.Equal(1, removed);
        Assert.False(File.Exists(files.PathOf(abandoned)));
        using (var head = await files.Alice.HeadAsync(abandoned).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
        Assert.True(File.Exists(files.PathOf(complete)));
        Assert.Equal(0, await files.Files.SweepAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task The_background_sweep_removes_expired_uploads_on_its_own()
    {
        await using var files = await FilesFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Files:IncompleteUploadExpiry"] = "00:00:01",
            ["Files:SweepInterval"] = "00:00:00.200",
        });
        var abandoned = await files.Alice.CreateAsync(1000).WaitAsync(Timeout);
        await files.Alice.AppendAsync(abandoned, 0, new ByteArrayContent(new byte[300])).WaitAsync(Timeout);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var head = await files.Alice.HeadAsync(abandoned).WaitAsync(Timeout);
            status = head.StatusCode;
        }
        while (status != HttpStatusCode.NotFound && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.False(File.Exists(files.PathOf(abandoned)));
    }
}
