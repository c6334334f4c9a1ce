using Switchboard.Files;

namespace Switchboard.Engine.Tests.Files;

/// <summary>What every engine's <see cref="IFileStore"/> must do. Subclassed once per engine; each test gets a fresh database.</summary>
public abstract class FileStoreConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Whole milliseconds: both engines keep at least that precision.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

    private IFileStore? _store;

    protected IFileStore Store => _store!;

    protected abstract Task<IFileStore> OpenStoreAsync();

    /// <summary>Another store over the same database, as a second node would have (on an embedded engine, the same store).</summary>
    protected abstract Task<IFileStore> OpenSecondNodeAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync().WaitAsync(Timeout);

    public abstract Task DisposeAsync();

    private static StoredFile NewFile(string owner = "user-1", long length = 1000, string? expected = null, DateTimeOffset? expires = null) =>
        new(Guid.CreateVersion7(), owner, "report ü.pdf", "application/pdf", length, 0, expected, null, FileStatus.Uploading,
            Now, expires ?? Now.AddHours(24), null);

    [Fact]
    public async Task A_created_upload_reads_back_with_every_field()
    {
        var file = NewFile(expected: new string('a', 64));

        Assert.True(await Store.CreateAsync(file, 10_000, CancellationToken.None).WaitAsync(Timeout));
        var read = await Store.GetAsync(file.Id, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(file, read);
        Assert.Null(await Store.GetAsync(Guid.CreateVersion7(), CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Creation_is_refused_when_complete_and_uploading_files_would_exceed_the_quota()
    {
        var first = NewFile(length: 600);
        var second = NewFile(length: 300);
        Assert.True(await Store.CreateAsync(first, 1000, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await Store.CreateAsync(second, 1000, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await Store.CompleteAsync(first.Id, 0, new string('b', 64), Now, CancellationToken.None).WaitAsync(Timeout));

        Assert.False(await Store.CreateAsync(NewFile(length: 101), 1000, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await Store.CreateAsync(NewFile(owner: "user-2", length: 1000), 1000, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(900, await Store.UsageAsync("user-1", CancellationToken.None).WaitAsync(Timeout));

        // A failed upload no longer counts.
        Assert.True(await Store.FailAsync(second.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(600, await Store.UsageAsync("user-1", CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await Store.CreateAsync(NewFile(length: 400), 1000, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Concurrent_creations_never_overshoot_the_quota_across_nodes()
    {
        var second = await OpenSecondNodeAsync().WaitAsync(Timeout);
        var attempts = Enumerable.Range(0, 12)
            .Select(i => (i % 2 == 0 ? Store : second).CreateAsync(NewFile(length: 250), 1000, CancellationToken.None))
            .ToArray();

        var results = await Task.WhenAll(attempts).WaitAsync(Timeout);

        Assert.Equal(4, results.Count(created => created));
        Assert.Equal(1000, await Store.UsageAsync("user-1", CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Advance_moves_the_offset_only_from_the_expected_offset()
    {
        var file = NewFile();
        await Store.CreateAsync(file, 10_000, CancellationToken.None).WaitAsync(Timeout);
        var later = Now.AddHours(30);

        Assert.False(await Store.AdvanceAsync(file.Id, 10, 20, later, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await Store.AdvanceAsync(file.Id, 0, 400, later, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await Store.AdvanceAsync(file.Id, 0, 500, later, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await Store.AdvanceAsync(Guid.CreateVersion7(), 0, 1, later, CancellationToken.None).WaitAsync(Timeout));

        var read = await Store.GetAsync(file.Id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(400, read!.Offset);
        Assert.Equal(later, read.ExpiresAt);
        Assert.Equal(FileStatus.Uploading, read.Status);
    }

    [Fact]
    public async Task Complete_sets_the_hash_and_full_length_and_clears_the_expiry_once()
    {
        var file = NewFile();
        await Store.CreateAsync(file, 10_000, CancellationToken.None).WaitAsync(Timeout);
        await Store.AdvanceAsync(file.Id, 0, 600, Now.AddHours(1), CancellationToken.None).WaitAsync(Timeout);
        var sha = new string('c', 64);

        Assert.False(await Store.CompleteAsync(file.Id, 0, sha, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.True(await Store.CompleteAsync(file.Id, 600, sha, Now.AddMinutes(1), CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await Store.CompleteAsync(file.Id, 600, sha, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await Store.AdvanceAsync(file.Id, 1000, 1000, Now, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await Store.FailAsync(file.Id, CancellationToken.None).WaitAsync(Timeout));

        var read = await Store.GetAsync(file.Id, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(file with { Offset = 1000, Sha256 = sha, Status = FileStatus.Complete, ExpiresAt = null, CompletedAt = Now.AddMinutes(1) }, read);
    }

    [Fact]
    public async Task Delete_removes_the_row_once()
    {
        var file = NewFile();
        await Store.CreateAsync(file, 10_000, CancellationToken.None).WaitAsync(Timeout);

        Assert.True(await Store.DeleteAsync(file.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await Store.DeleteAsync(file.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await Store.GetAsync(file.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(0, await Store.UsageAsync("user-1", CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Removing_expired_takes_incomplete_and_failed_uploads_past_their_expiry_and_never_complete_files()
    {
        var expired = NewFile(expires: Now.AddMinutes(-5));
        var failed = NewFile(expires: Now.AddMinutes(-1));
        var live = NewFile(expires: Now.AddMinutes(5));
        var complete = NewFile(expires: Now.AddMinutes(-10));
        foreach (var file in new[] { expired, failed, live, complete })
        {
            await Store.CreateAsync(file, 100_000, CancellationToken.None).WaitAsync(Timeout);
        }
        await Store.FailAsync(failed.Id, CancellationToken.None).WaitAsync(Timeout);
        await Store.CompleteAsync(complete.Id, 0, new string('d', 64), Now, CancellationToken.None).WaitAsync(Timeout);

        var first = await Store.RemoveExpiredAsync(Now, 1, CancellationToken.None).WaitAsync(Timeout);
        var rest = await Store.RemoveExpiredAsync(Now, 100, CancellationToken.None).WaitAsync(Timeout);
        var again = await Store.RemoveExpiredAsync(Now, 100, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([expired.Id], first.Select(f => f.Id));
        Assert.Equal([failed.Id], rest.Select(f => f.Id));
        Assert.Empty(again);
        Assert.NotNull(await Store.GetAsync(live.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.NotNull(await Store.GetAsync(complete.Id, CancellationToken.None).WaitAsync(Timeout));
        Assert.Null(await Store.GetAsync(expired.Id, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Nodes_sweeping_at_once_remove_each_expired_upload_exactly_once()
    {
        var second = await OpenSecondNodeAsync().WaitAsync(Timeout);
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 40; i++)
        {
            var file = NewFile(expires: Now.AddSeconds(-i - 1));
            ids.Add(file.Id);
            await Store.CreateAsync(file, long.MaxValue, CancellationToken.None).WaitAsync(Timeout);
        }

        var sweeps = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? Store : second).RemoveExpiredAsync(Now, 7, CancellationToken.None)).ToArray();
        var removed = (await Task.WhenAll(sweeps).WaitAsync(Timeout)).SelectMany(r => r).Select(f => f.Id).ToList();
        removed.AddRange((await Store.RemoveExpiredAsync(Now, 100, CancellationToken.None).WaitAsync(Timeout)).Select(f => f.Id));

        Assert.Equal(ids.Count, removed.Count);
        Assert.True(ids.SetEquals(removed));
    }
}
