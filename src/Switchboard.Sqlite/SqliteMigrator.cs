using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchboard.Operations;
using Switchboard.Storage;

namespace Switchboard.Sqlite;

/// <summary>Applies embedded migrations in order, each in its own transaction, recording them in <c>schema_migrations</c>.</summary>
internal sealed partial class SqliteMigrator
{
    public static void Apply(SqliteConnection connection, IReadOnlyList<Migration> migrations, ILogger logger)
    {
        SqliteDatabase.Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """);
        var applied = new HashSet<int>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT version FROM schema_migrations";
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var unknown = applied.Where(v => v > newest).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException(
                $"The database has schema version {unknown.Max()}, newer than this build knows ({newest}). Run a newer Switchboard or restore a backup.");
        }
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }
            using var transaction = connection.BeginTransaction();
            SqliteDatabase.Execute(connection, migration.Sql, transaction);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$n", migration.Name);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            LogApplied(logger, migration.Version, migration.Name);
        }
    }

    [LoggerMessage(EventId = EventIds.Sqlite.MigrationApplied, Level = LogLevel.Information, Message = "Applied SQLite migration {Version} {Name}")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}
