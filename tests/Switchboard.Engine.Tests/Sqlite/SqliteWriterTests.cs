using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Sqlite;

namespace Switchboard.Engine.Tests.Sqlite;

public sealed class SqliteWriterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Concurrent_writes_are_folded_into_fewer_commits_and_all_become_visible()
    {
        await using var database = TestDatabases.NewSqlite(out _);
        await database.Writer.ExecuteAsync(ctx => ctx.Command("CREATE TABLE t (v INTEGER NOT NULL)").ExecuteNonQuery()).WaitAsync(Timeout);
        var before = database.Writer.Batches;

        var writes = Enumerable.Range(0, 2000).Select(i => database.Writer.ExecuteAsync(ctx =>
        {
            var insert = ctx.Command("INSERT INTO t (v) VALUES ($v)");
            insert.Parameters.AddWithValue("$v", i);
            return insert.ExecuteNonQuery();
        }));
        await Task.WhenAll(writes).WaitAsync(Timeout);

        var count = await database.ReadAsync(c => Scalar(c, "SELECT count(*) FROM t"));
        Assert.Equal(2000L, count);
        Assert.True(database.Writer.Batches - before < 2000, "2000 concurrent writes should share commits");
    }

    [Fact]
    public async Task A_failing_operation_rolls_back_alone_and_the_rest_of_its_batch_commits()
    {
        await using var database = TestDatabases.NewSqlite(out _);
        await database.Writer.ExecuteAsync(ctx => ctx.Command("CREATE TABLE t (v INTEGER PRIMARY KEY)").ExecuteNonQuery()).WaitAsync(Timeout);

        var good1 = database.Writer.ExecuteAsync(ctx => Insert(ctx, 1));
        var bad = database.Writer.ExecuteAsync(ctx =>
        {
            Insert(ctx, 2);
            return Insert(ctx, 1); // duplicate key: the whole operation, including its first insert, rolls back
        });
        var good2 = database.Writer.ExecuteAsync(ctx => Insert(ctx, 3));

        await Assert.ThrowsAsync<SqliteException>(() => bad.WaitAsync(Timeout));
        await Task.WhenAll(good1, good2).WaitAsync(Timeout);
        var values = await database.ReadAsync(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY v)";
            return (string)command.ExecuteScalar()!;
        });
        Assert.Equal("1,3", values);
    }

    [Fact]
    public async Task Post_commit_callbacks_run_only_for_operations_that_committed()
    {
        await using var database = TestDatabases.NewSqlite(out _);
        await database.Writer.ExecuteAsync(ctx => ctx.Command("CREATE TABLE t (v INTEGER PRIMARY KEY)").ExecuteNonQuery()).WaitAsync(Timeout);
        var fired = new List<int>();

        var ok = database.Writer.ExecuteAsync(ctx =>
        {
            ctx.OnCommitted(() => fired.Add(1));
            return Insert(ctx, 1);
        });
        var failed = database.Writer.ExecuteAsync(ctx =>
        {
            ctx.OnCommitted(() => fired.Add(2));
            return Insert(ctx, 1);
        });

        await ok.WaitAsync(Timeout);
        await Assert.ThrowsAsync<SqliteException>(() => failed.WaitAsync(Timeout));
        Assert.Equal([1], fired);
    }

    [Fact]
    public async Task Acknowledged_writes_survive_closing_and_reopening_the_file()
    {
        string path;
        await using (var database = TestDatabases.NewSqlite(out path))
        {
            await database.Writer.ExecuteAsync(ctx => ctx.Command("CREATE TABLE t (v INTEGER)").ExecuteNonQuery()).WaitAsync(Timeout);
            await Task.WhenAll(Enumerable.Range(0, 100).Select(i => database.Writer.ExecuteAsync(ctx => Insert(ctx, i)))).WaitAsync(Timeout);
        }

        await using var reopened = SqliteDatabase.Open(path, 16, NullLoggerFactory.Instance);
        Assert.Equal(100L, await reopened.ReadAsync(c => Scalar(c, "SELECT count(*) FROM t")));
        Assert.Equal("wal", await reopened.ReadAsync(c => Scalar(c, "PRAGMA journal_mode")));
    }

    [Fact]
    public async Task The_WAL_is_checkpointed_off_the_writer_and_the_checkpointed_rows_stay_readable()
    {
        string path;
        await using (var database = TestDatabases.NewSqlite(out path))
        {
            Assert.Equal(0L, await database.Writer.ExecuteAsync(ctx => (long)ctx.Command("PRAGMA wal_autocheckpoint").ExecuteScalar()!).WaitAsync(Timeout));
            await database.Writer.ExecuteAsync(ctx => ctx.Command("CREATE TABLE t (v INTEGER)").ExecuteNonQuery()).WaitAsync(Timeout);
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => database.Writer.ExecuteAsync(ctx => Insert(ctx, i)))).WaitAsync(Timeout);

            var deadline = DateTime.UtcNow + Timeout;
            while (database.Checkpointer.Checkpoints == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.True(database.Checkpointer.Checkpoints > 0, "the checkpointer should have run after the writes");
            Assert.Equal(200L, await database.ReadAsync(c => Scalar(c, "SELECT count(*) FROM t")));
        }

        await using var reopened = SqliteDatabase.Open(path, 16, NullLoggerFactory.Instance);
        Assert.Equal(200L, await reopened.ReadAsync(c => Scalar(c, "SELECT count(*) FROM t")));
    }

    [Fact]
    public async Task A_raw_statement_binds_by_position_and_stays_usable_after_a_constraint_error()
    {
        await using var database = TestDatabases.NewSqlite(out _);
        await database.Writer.ExecuteAsync(ctx => ctx.Command("CREATE TABLE r (k INTEGER PRIMARY KEY, s TEXT, b BLOB, n INTEGER)").ExecuteNonQuery()).WaitAsync(Timeout);
        const string Sql = "INSERT INTO r (k, s, b, n) VALUES (?1, ?2, ?3, ?4)";

        var changed = await database.Writer.ExecuteAsync(ctx =>
        {
            var insert = ctx.Statement(Sql);
            insert.Bind(1, 1L);
            insert.Bind(2, "one");
            insert.Bind(3, [1, 2, 3]);
            insert.Bind(4, (long?)null);
            return insert.Execute();
        }).WaitAsync(Timeout);
        Assert.Equal(1, changed);

        var duplicate = database.Writer.ExecuteAsync(ctx =>
        {
            var insert = ctx.Statement(Sql);
            insert.Bind(1, 1L);
            return insert.Execute();
        });
        await Assert.ThrowsAsync<SqliteException>(() => duplicate.WaitAsync(Timeout));

        await database.Writer.ExecuteAsync(ctx =>
        {
            var insert = ctx.Statement(Sql);
            insert.Bind(1, 2L);
            insert.Bind(4, (long?)7);
            return insert.Execute();
        }).WaitAsync(Timeout);

        Assert.Equal("one", await database.ReadAsync(c => Scalar(c, "SELECT s FROM r WHERE k = 1")));
        Assert.Equal(3L, await database.ReadAsync(c => Scalar(c, "SELECT length(b) FROM r WHERE k = 1")));
        Assert.Equal(DBNull.Value, await database.ReadAsync(c => Scalar(c, "SELECT n FROM r WHERE k = 1")));
        Assert.Equal(7L, await database.ReadAsync(c => Scalar(c, "SELECT n FROM r WHERE k = 2")));
        Assert.Equal(DBNull.Value, await database.ReadAsync(c => Scalar(c, "SELECT s FROM r WHERE k = 2")));
    }

    [Fact]
    public async Task Migrations_are_applied_once_and_recorded()
    {
        string path;
        await using (var database = TestDatabases.NewSqlite(out path))
        {
            Assert.True(await database.ReadAsync(c => (long)Scalar(c, "SELECT count(*) FROM schema_migrations")!) >= 1);
        }
        await using var reopened = SqliteDatabase.Open(path, 16, NullLoggerFactory.Instance);
        var versions = await reopened.ReadAsync(c => (long)Scalar(c, "SELECT count(*) FROM schema_migrations")!);
        var distinct = await reopened.ReadAsync(c => (long)Scalar(c, "SELECT count(DISTINCT version) FROM schema_migrations")!);
        Assert.Equal(distinct, versions);
    }

    private static int Insert(SqliteWriteContext ctx, int value)
    {
        var insert = ctx.Command("INSERT INTO t (v) VALUES ($v)");
        insert.Parameters.AddWithValue("$v", value);
        return insert.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
