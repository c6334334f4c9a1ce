using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Identity;
using Switchboard.Postgres;
using Switchboard.Postgres.Identity;

namespace Switchboard.Engine.Tests.Identity;

public sealed class PostgresIdentityStoreTests : IdentityStoreConformance
{
    private PostgresDatabase? _database;

    protected override async Task<IIdentityStore> OpenAsync()
    {
        _database = await TestDatabases.NewPostgresAsync();
        return new PostgresIdentityStore(_database);
    }

    protected override async Task CloseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
