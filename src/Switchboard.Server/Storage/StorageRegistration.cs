using Switchboard.Postgres;
using Switchboard.Sqlite;
using Switchboard.Storage;

namespace Switchboard.Server.Storage;

internal static class StorageRegistration
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddStorage();
        var engine = builder.Configuration[$"{StorageOptions.Section}:Engine"] ?? StorageEngines.Sqlite;
        if (string.Equals(engine, StorageEngines.Postgres, StringComparison.Ordinal))
        {
            builder.Services.AddPostgresEngine();
        }
        else
        {
            // An unknown engine name falls through to SQLite here and is then refused by the validator at start.
            builder.Services.AddSqliteEngine();
        }
        return builder;
    }
}
