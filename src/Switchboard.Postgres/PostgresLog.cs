using Microsoft.Extensions.Logging;

namespace Switchboard.Postgres;

internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} {Name}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);
}
