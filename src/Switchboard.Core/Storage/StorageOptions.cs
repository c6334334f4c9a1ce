namespace Switchboard.Storage;

/// <summary>Configuration section <c>Storage</c>: which engine holds the state.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (embedded, default) or <c>postgres</c>.</summary>
    public string Engine { get; set; } = StorageEngines.Sqlite;

    public SqliteStorageOptions Sqlite { get; set; } = new();

    public PostgresStorageOptions Postgres { get; set; } = new();
}

public sealed class SqliteStorageOptions
{
    /// <summary>Database file; relative paths are under the data folder.</summary>
    public string File { get; set; } = "switchboard.db";

    /// <summary>Most write operations folded into one transaction and one fsync.</summary>
    public int MaxBatch { get; set; } = 4096;
}

public sealed class PostgresStorageOptions
{
    public string? ConnectionString { get; set; }
}

public static class StorageEngines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static IReadOnlyList<string> All { get; } = [Sqlite, Postgres];
}
