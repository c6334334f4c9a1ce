using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Files;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Files;

/// <summary>GET /v1/files/{id}: ranges, ETags, a safe Content-Disposition, and who may download.</summary>
public sealed class FileDownloadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_range_download_returns_206_with_exactly_those_bytes_and_an_unsatisfiable_range_416()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(10, 0, 100_000);
        var location = await files.UploadAsync(bytes).WaitAsync(Timeout);

        foreach (var (from, to) in new (long?, long?)[] { (1000, 1999), (0, 0), (99_990, null), (null, 500) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            request.Headers.Range = new RangeHeaderValue(from, to);
            using var response = await files.Alice.Http.SendAsync(request).WaitAsync(Timeout);
            var start = from ?? bytes.Length - to!.Value;
            var end = from is null ? bytes.Length - 1 : to ?? bytes.Length - 1;

            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(bytes[(int)start..(int)(end + 1)], await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(new ContentRangeHeaderValue(start, end, bytes.Length), response.Content.Headers.ContentRange);
        }

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, location);
        unsatisfiable.Headers.Range = new RangeHeaderValue(200_000, 300_000);
        using var refused = await files.Alice.Http.SendAsync(unsatisfiable).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal("bytes */100000", refused.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task If_none_match_with_the_sha256_etag_is_a_304_and_another_etag_a_200()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(11, 0, 5000);
        var location = await files.UploadAsync(bytes).WaitAsync(Timeout);
        using var first = await files.Alice.Http.GetAsync(location).WaitAsync(Timeout);
        var etag = first.Headers.ETag!;
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}\"", etag.Tag);

        using var cached = new HttpRequestMessage(HttpMethod.Get, location);
        cached.Headers.IfNoneMatch.Add(etag);
        using var notModified = await files.Alice.Http.SendAsync(cached).WaitAsync(Timeout);
        using var stale = new HttpRequestMessage(HttpMethod.Get, location);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var modified = await files.Alice.Http.SendAsync(stale).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal(bytes, await modified.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("../../etc/passwd", "____etc_passwd")]
    [InlineData("..\\..\\windows\\win.ini", "____windows_win.ini")]
    [InlineData("a/b\\c.txt", "a_b_c.txt")]
    [InlineData("line\r\nX-Injected: yes\r\n.txt", "lineX-Injected_ yes.txt")]
    [InlineData("tab\there\u0000nul\u007f.bin", "tabherenul.bin")]
    [InlineData("say \"hello\".txt", "say _hello_.txt")]
    [InlineData("résumé 日本語 🎉.pdf", "résumé 日本語 🎉.pdf")]
    [InlineData("..", "_")]
    [InlineData("   ", "file")]
    [InlineData("\u202Egnp.exe", "gnp.exe")]
    public async Task A_hostile_file_name_is_stored_safely_never_escapes_the_files_folder_and_cannot_corrupt_the_header(string name, string expected)
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(12, 0, 1000);

        var location = await files.UploadAsync(bytes, name).WaitAsync(Timeout);
        using var download = await files.Alice.Http.GetAsync(location).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.False(download.Headers.Contains("X-Injected"));
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        var suggested = disposition.FileNameStar ?? disposition.FileName!.Trim('"');
        Assert.Equal(expected, suggested);
        Assert.DoesNotContain("/", suggested);
        Assert.DoesNotContain("\\", suggested);
        Assert.DoesNotContain("..", suggested);
        Assert.DoesNotContain(suggested, c => char.IsControl(c));
        var info = await files.Alice.Http.GetFromJsonAsync<JsonElement>(location + "/info").WaitAsync(Timeout);
        Assert.Equal(expected, info.GetProperty("name").GetString());

        // The only thing on disk is the id-named content, inside the files folder.
        var id = FilesFixture.IdOf(location).ToString("n");
        Assert.Equal([Path.Combine(id[^2..], id)], files.StoredFiles());
        Assert.StartsWith(files.Content.Root + Path.DirectorySeparatorChar, Path.GetFullPath(files.PathOf(location)));
    }

    [Fact]
    public async Task Another_user_gets_404_everywhere_while_the_uploader_and_an_admin_get_the_file()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(13, 0, 2000);
        var location = await files.UploadAsync(bytes).WaitAsync(Timeout);
        var pending = await files.Alice.CreateAsync(100).WaitAsync(Timeout);

        foreach (var path in new[] { location, pending })
        {
            using (var download = await files.Bob.Http.GetAsync(path).WaitAsync(Timeout))
            {
                await ProblemAssert.IsProblemAsync(download, HttpStatusCode.NotFound, "file_not_found");
            }
            using (var info = await files.Bob.Http.GetAsync(path + "/info").WaitAsync(Timeout))
            {
                await ProblemAssert.IsProblemAsync(info, HttpStatusCode.NotFound, "file_not_found");
            }
            using (var head = await files.Bob.HeadAsync(path).WaitAsync(Timeout))
            {
                Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            }
            using (var delete = await files.Bob.DeleteAsync(path).WaitAsync(Timeout))
            {
                await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.NotFound, "file_not_found");
            }
        }
        using (var patch = await files.Bob.PatchAsync(pending, 0, new byte[10]).WaitAsync(Timeout))
        {
            await ProblemAssert.IsProblemAsync(patch, HttpStatusCode.NotFound, "file_not_found");
        }
        Assert.Equal(0, await files.Alice.OffsetAsync(pending).WaitAsync(Timeout));

        using var mine = await files.Alice.Http.GetAsync(location).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(bytes, await mine.Content.ReadAsByteArrayAsync());
        using var admin = await files.Admin.Http.GetAsync(location).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(bytes, await admin.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_read_grant_lets_another_user_download_a_complete_file_but_not_write_it()
    {
        var grant = new AllowListGrant();
        await using var files = await FilesFixture.StartAsync(configure: builder => builder.Services.AddSingleton<IFileReadGrant>(grant));
        var bytes = GeneratedContent.Bytes(14, 0, 3000);
        var location = await files.UploadAsync(bytes).WaitAsync(Timeout);
        using (var before = await files.Bob.Http.GetAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        grant.Allow(FilesFixture.IdOf(location));

        using (var after = await files.Bob.Http.GetAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(bytes, await after.Content.ReadAsByteArrayAsync());
        }
        using (var delete = await files.Bob.DeleteAsync(location).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }
        var catalog = files.Server.Services.GetRequiredService<IFileCatalog>();
        var summary = await catalog.FindAsync(FilesFixture.IdOf(location)).WaitAsync(Timeout);
        Assert.NotNull(summary);
        Assert.True(summary.Complete);
        Assert.Equal(bytes.Length, summary.Length);
        Assert.Null(await catalog.FindAsync(Guid.CreateVersion7()).WaitAsync(Timeout));
    }

    /// <summary>What chat registers, reduced to a set of file ids anyone may read.</summary>
    private sealed class AllowListGrant : IFileReadGrant
    {
        private readonly HashSet<Guid> _allowed = [];

        public void Allow(Guid id)
        {
            lock (_allowed)
            {
                _allowed.Add(id);
            }
        }

        public Task<bool> AllowsAsync(string userId, Guid fileId, CancellationToken cancellationToken = default)
        {
            lock (_allowed)
            {
                return Task.FromResult(_allowed.Contains(fileId));
            }
        }
    }
}
