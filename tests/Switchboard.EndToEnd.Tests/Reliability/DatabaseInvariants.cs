using Microsoft.Data.Sqlite;
using Npgsql;

namespace Switchboard.EndToEnd.Tests.Reliability;

/// <summary>The database's own consistency after a SIGKILL, checked while no server runs.</summary>
internal static class DatabaseInvariants
{
    /// <summary>
    /// SQLite: <c>PRAGMA integrity_check</c> (b-trees, indexes, NOT NULL and UNIQUE against the rows) and
    /// <c>PRAGMA foreign_key_check</c>. Opening the file replays the WAL, as the server's next start would.
    /// </summary>
    public static IReadOnlyList<string> CheckSqlite(string file)
    {
        var problems = new List<string>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA integrity_check";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var line = reader.GetString(0);
                if (line != "ok")
                {
                    problems.Add($"integrity_check: {line}");
                }
            }
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA foreign_key_check";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                problems.Add($"foreign_key_check: row {reader.GetValue(1)} of {reader.GetString(0)} points to a missing row of {reader.GetString(2)}");
            }
        }
        return problems;
    }

    /// <summary>
    /// PostgreSQL: every foreign key has its parent row and every unique constraint or unique index holds, checked
    /// from the table rows with index scans turned off (so a damaged index cannot hide a duplicate), and every B-tree
    /// index passes amcheck's <c>bt_index_check</c> when the extension is available. Returns problems and the
    /// number of constraints and indexes checked.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Problems, int Checked)> CheckPostgresAsync(string connectionString)
    {
        var problems = new List<string>();
        var count = 0;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off");

        var foreignKeys = await QueryAsync(connection, """
            SELECT format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                       con.conrelid::regclass, string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND '),
                       con.confrelid::regclass, string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')),
                   con.conname
            FROM pg_constraint con
            JOIN LATERAL unnest(con.conkey, con.confkey) AS k(child, parent) ON true
            JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child
            JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent
            WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace
            GROUP BY con.oid, con.conrelid, con.confrelid, con.conname
            """);
        var uniques = await QueryAsync(connection, """
            SELECT format('SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1) d',
                       i.indrelid::regclass,
                       coalesce(pg_get_expr(i.indpred, i.indrelid), 'true') || ' AND ' || string_agg(format('%I IS NOT NULL', a.attname), ' AND '),
                       string_agg(format('%I', a.attname), ', ')),
                   i.indexrelid::regclass::text
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid AND t.relnamespace = 'public'::regnamespace
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indisunique AND i.indexprs IS NULL
            GROUP BY i.indexrelid, i.indrelid, i.indpred
            """);
        foreach (var (sql, name) in foreignKeys.Concat(uniques))
        {
            count++;
            var violations = await ScalarAsync(connection, sql);
            if (violations > 0)
            {
                problems.Add($"{name}: {violations} violations ({sql})");
            }
        }

        try
        {
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS amcheck");
        }
        catch (PostgresException)
        {
            return (problems, count);
        }
        var indexes = await QueryAsync(connection, """
            SELECT c.oid::regclass::text, c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace
            """);
        foreach (var (index, _) in indexes)
        {
            count++;
            try
            {
                await ExecuteAsync(connection, $"SELECT bt_index_check('{index}'::regclass, true)");
            }
            catch (PostgresException ex)
            {
                problems.Add($"bt_index_check({index}): {ex.MessageText}");
            }
        }
        return (problems, count);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<(string, string)>> QueryAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<(string, string)>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }
        return rows;
    }
}
