using Microsoft.Extensions.Logging;
using Switchboard.Operations;

namespace Switchboard.Postgres;

internal static partial class PostgresLog
{
    [LoggerMessage(EventId = EventIds.Postgres.MigrationApplied, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} {Name}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);
}
