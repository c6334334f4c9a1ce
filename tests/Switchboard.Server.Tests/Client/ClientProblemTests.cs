using System.Net;
using System.Text;
using Switchboard.Client;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Client;

public sealed class ClientProblemTests
{
    [Fact]
    public async Task A_404_problem_from_the_server_becomes_a_SwitchboardApiException_with_every_member()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.CreateClient());

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() =>
            client.SendAsync<HealthReport>(HttpMethod.Get, "v1/does-not-exist", null, SwitchboardClient.Auth.None, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(404, problem.Status);
        Assert.Equal("route_not_found", problem.Code);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        Assert.False(string.IsNullOrEmpty(problem.TraceId));
        Assert.Empty(problem.Errors);
        Assert.StartsWith("route_not_found: ", problem.Message);
    }

    [Fact]
    public async Task A_405_problem_keeps_its_own_code()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new SwitchboardClient(server.CreateClient());

        var problem = await Assert.ThrowsAsync<SwitchboardApiException>(() =>
            client.SendWithoutResultAsync(HttpMethod.Delete, "healthz", null, SwitchboardClient.Auth.None, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(405, problem.Status);
        Assert.Equal("method_not_allowed", problem.Code);
    }

    [Fact]
    public async Task Field_errors_of_a_problem_are_parsed()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""
                {"type":"https://switchboard.dev/problems/validation_failed","title":"One or more fields are invalid.","status":400,
                 "detail":"username: too short","code":"validation_failed","traceId":"abc","errors":{"username":["too short","bad characters"]}}
                """, Encoding.UTF8, "application/problem+json"),
        };

        var problem = await SwitchboardApiException.FromResponseAsync(response, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal("username: too short", problem.Detail);
        Assert.Equal("abc", problem.TraceId);
        Assert.Equal(["too short", "bad characters"], problem.Errors["username"]);
    }

    [Fact]
    public async Task A_response_that_is_not_a_problem_still_gives_status_and_a_code()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            ReasonPhrase = "Bad Gateway",
            Content = new StringContent("upstream down", Encoding.UTF8, "text/plain"),
        };

        var problem = await SwitchboardApiException.FromResponseAsync(response, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(502, problem.Status);
        Assert.Equal("http_502", problem.Code);
        Assert.Equal("Bad Gateway", problem.Title);
        Assert.Equal("upstream down", problem.Detail);
        Assert.Null(problem.TraceId);
    }

    [Fact]
    public async Task An_unreachable_server_throws_HttpRequestException()
    {
        using var client = new SwitchboardClient(new Uri("http://127.0.0.1:1"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetHealthAsync().WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
