using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Tests.Infrastructure;
using Switchboard.Sqlite;

namespace Switchboard.Server.Tests.Operations;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_and_readyz_answer_ok_on_a_fresh_sqlite_data_folder()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var alive = await client.GetAsync("healthz");
        using var ready = await client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("storage:sqlite", await ready.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(server.DataPath, "switchboard.db")));
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem_with_a_code()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("v1/does-not-exist");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "route_not_found");
    }

    [Fact]
    public async Task Readyz_is_a_503_problem_naming_the_failing_check_when_storage_breaks()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        var database = server.Services.GetRequiredService<SqliteDatabase>();
        // Break the table the storage check reads, from a second connection like an operator's mistake would.
        await using (var connection = new SqliteConnection($"Data Source={database.Path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE schema_migrations RENAME TO schema_migrations_moved";
            await command.ExecuteNonQueryAsync();
        }

        using var ready = await client.GetAsync("readyz");
        using var alive = await client.GetAsync("healthz");

        var problem = await ProblemAssert.IsProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Contains("storage:sqlite", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("checks").TryGetProperty("storage:sqlite", out _));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        // The caller is anonymous: the exception's message (here SQLite's, naming the missing table) stays in the log.
        var body = problem.GetRawText();
        Assert.DoesNotContain("schema_migrations", body);
        Assert.DoesNotContain("Exception", body);
    }
}
