using System.Net;
using Switchboard.Server.Tests.Infrastructure;

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
}
