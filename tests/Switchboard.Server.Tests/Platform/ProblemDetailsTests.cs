using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Switchboard.Errors;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

public sealed class ProblemDetailsTests
{
    private static Task<RunningServer> StartAsync(IDictionary<string, string?>? settings = null) =>
        RunningServer.StartAsync(settings, mapExtra: DiagnosticsEndpoints.Map);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Malformed_json_is_a_400_problem_that_says_where()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json("{\"name\": \"a\", \"count\": }"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(ErrorCodes.MalformedJson.Title, problem.GetProperty("title").GetString());
        Assert.Contains("count", problem.GetProperty("detail").GetString());
        Assert.Contains("line 1", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_wrong_typed_field_is_a_400_problem_naming_the_field_and_the_expected_type()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json("{\"name\": \"a\", \"count\": \"many\"}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'count'", detail);
        Assert.Contains("integer", detail);
        Assert.DoesNotContain("System.", detail);
        Assert.True(problem.GetProperty("errors").TryGetProperty("count", out _));
    }

    [Fact]
    public async Task A_wrong_typed_nested_element_is_named_by_its_path()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json("{\"name\": \"a\", \"count\": 1, \"tags\": [\"x\", 5]}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
        Assert.True(problem.GetProperty("errors").TryGetProperty("tags[1]", out _), problem.ToString());
    }

    [Fact]
    public async Task A_missing_required_field_is_a_400_validation_problem_naming_it()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json("{\"name\": \"a\"}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("count", out _), problem.ToString());
        Assert.Contains("count", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_null_in_a_non_nullable_field_is_a_400_validation_problem_naming_it()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json("{\"name\": null, \"count\": 1}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _), problem.ToString());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    public async Task A_null_or_missing_body_is_a_400_problem_not_a_500(string body)
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json(body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.ToString());
    }

    [Fact]
    public async Task A_post_without_any_content_is_a_400_problem()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task A_valid_body_still_binds()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json("{\"name\": \"a\", \"count\": 2}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"count\":2", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("test/items/3?count=abc")]
    [InlineData("test/items/3")]
    public async Task A_bad_or_missing_query_value_is_a_400_validation_problem_naming_it(string path)
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(path);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("count", out _), problem.ToString());
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", new StringContent("{\"name\": \"a\", \"count\": 2}", Encoding.UTF8, "text/plain"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("text/plain", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_is_a_413_problem()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "1024" });
        using var client = server.CreateClient();

        using var response = await client.PostAsync("test/echo", Json(LargeBody(4096)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(1024, problem.GetProperty("maxBytes").GetInt64());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_problem()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "1024" });
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "test/echo") { Content = Json(LargeBody(4096)) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task An_endpoint_may_lower_the_limit_with_metadata()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var small = await client.PostAsync("test/small", Json("{\"name\": \"a\", \"count\": 2}"));
        using var large = await client.PostAsync("test/small", Json(LargeBody(200)));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(large, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(64, problem.GetProperty("maxBytes").GetInt64());
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_with_the_catalogue_title()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("v1/does-not-exist");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "route_not_found");
        Assert.Equal(ErrorCodes.RouteNotFound.Title, problem.GetProperty("title").GetString());
        Assert.Equal("/v1/does-not-exist", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("test/echo");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal(ErrorCodes.MethodNotAllowed.Title, problem.GetProperty("title").GetString());
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_that_hides_the_message()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("test/boom");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        Assert.DoesNotContain("secret internal detail", problem.ToString());
    }

    [Fact]
    public async Task The_trace_id_of_a_problem_matches_the_response_header()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("v1/nothing-here");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "route_not_found");
        var header = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        Assert.Equal(header, problem.GetProperty("traceId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", header);
    }

    private static string LargeBody(int size) => "{\"name\": \"" + new string('x', size) + "\", \"count\": 1}";
}
