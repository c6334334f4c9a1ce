using Switchboard.Storage;

namespace Switchboard.Sqlite;

internal sealed class SqliteStorageHealth(SqliteDatabase database) : IStorageHealth
{
    public string Engine => StorageEngines.Sqlite;

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM schema_migrations";
            return command.ExecuteScalar();
        }, cancellationToken).ConfigureAwait(false);
        // A no-op write proves the writer loop is alive and the disk accepts a commit.
        await database.Writer.ExecuteAsync(_ => { }, cancellationToken).ConfigureAwait(false);
    }
}
