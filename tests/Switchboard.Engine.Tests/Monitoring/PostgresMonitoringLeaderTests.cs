using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres;
using Switchboard.Postgres.Monitoring;

namespace Switchboard.Engine.Tests.Monitoring;

/// <summary>Two nodes on one PostgreSQL: one leads monitoring; when its session dies, the other takes over.</summary>
public sealed class PostgresMonitoringLeaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_node_leads_and_the_other_takes_over_when_the_leaders_session_dies()
    {
        var connectionString = await TestDatabases.NewPostgresDatabaseAsync();
        await using var first = await PostgresDatabase.OpenAsync(connectionString, NullLoggerFactory.Instance);
        await using var second = await PostgresDatabase.OpenAsync(connectionString, NullLoggerFactory.Instance);
        var a = new PostgresMonitoringLeader(() => first, NullLogger<PostgresMonitoringLeader>.Instance);
        await using var b = new PostgresMonitoringLeader(() => second, NullLogger<PostgresMonitoringLeader>.Instance);

        var lost = await a.AcquireAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.True(a.IsLeader);
        var waiting = b.AcquireAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(waiting.IsCompleted);
        Assert.False(b.IsLeader);

        // The leader's session is terminated, as when its node dies: PostgreSQL releases the lock.
        await using (var admin = await first.OpenConnectionAsync())
        await using (var terminate = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 3 AND granted AND pid <> pg_backend_pid()", admin))
        {
            await terminate.ExecuteNonQueryAsync();
        }

        await waiting.WaitAsync(Timeout);
        Assert.True(b.IsLeader);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(lost.IsCancellationRequested);
        Assert.False(a.IsLeader);
        await a.DisposeAsync();
    }
}
