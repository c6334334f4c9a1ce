using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Storage;

namespace Switchboard.Postgres;

/// <summary>The scale-out engine's connection pool. Every node opens one against the same database.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    // Arbitrary but fixed: the advisory lock key that serialises migrations across nodes starting together.
    private const long MigrationLockKey = 0x5357_4254_4D49_4752;

    /// <summary>Statements each pooled connection keeps prepared unless the connection string says otherwise.</summary>
    internal const int AutoPrepared = 64;

    private PostgresDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    public static async Task<PostgresDatabase> OpenAsync(string connectionString, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            // Every statement of ours is a fixed text run many times: preparing the busy ones saves PostgreSQL the
            // parse and plan and Npgsql the row description on each call (a third of a REST read's cost, measured).
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPrepared;
        }
        builder.UseLoggerFactory(loggerFactory);
        var dataSource = builder.Build();
        var database = new PostgresDatabase(dataSource);
        await database.MigrateAsync(loggerFactory.CreateLogger<PostgresDatabase>(), cancellationToken).ConfigureAwait(false);
        return database;
    }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    private async Task MigrateAsync(ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<int>();
            await using (var query = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }
            var migrations = Migration.LoadFrom(typeof(PostgresDatabase).Assembly);
            var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
            if (applied.Count > 0 && applied.Max() > newest)
            {
                throw new InvalidOperationException(
                    $"The database has schema version {applied.Max()}, newer than this build knows ({newest}). Run a newer Switchboard or restore a backup.");
            }
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction))
                {
                    record.Parameters.AddWithValue(migration.Version);
                    record.Parameters.AddWithValue(migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                PostgresLog.MigrationApplied(logger, migration.Version, migration.Name);
            }
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
