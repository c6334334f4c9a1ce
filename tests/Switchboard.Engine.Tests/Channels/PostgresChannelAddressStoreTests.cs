using Switchboard.Channels;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres;
using Switchboard.Postgres.Channels;

namespace Switchboard.Engine.Tests.Channels;

/// <summary>Runs against the PostgreSQL on 127.0.0.1:5432; a missing server fails these tests.</summary>
public sealed class PostgresChannelAddressStoreTests : ChannelAddressStoreConformance
{
    private PostgresDatabase? _database;

    protected override async Task<IChannelAddressStore> OpenStoreAsync()
    {
        _database = await TestDatabases.NewPostgresAsync();
        return new PostgresChannelAddressStore(_database);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
