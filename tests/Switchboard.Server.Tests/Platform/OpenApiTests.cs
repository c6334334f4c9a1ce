using System.Net;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_document_is_openapi_3_with_the_endpoints_and_both_security_schemes()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        Assert.Equal("Switchboard", root.GetProperty("info").GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("info").GetProperty("version").GetString()));
        var paths = root.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/healthz", out _));
        Assert.True(paths.TryGetProperty("/readyz", out _));
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("http", schemes.GetProperty("bearer").GetProperty("type").GetString());
        Assert.Equal("apiKey", schemes.GetProperty("apiKey").GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("apiKey").GetProperty("in").GetString());
    }

    [Fact]
    public async Task Secured_endpoints_declare_security_and_401_403_and_bodies_declare_a_400_problem()
    {
        await using var server = await RunningServer.StartAsync(mapExtra: DiagnosticsEndpoints.Map);
        using var client = server.CreateClient();

        using var response = await client.GetAsync("openapi/v1.json");

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        var secured = paths.GetProperty("/test/secured").GetProperty("post");
        var security = secured.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToArray();
        Assert.Contains("bearer", security);
        Assert.Contains("apiKey", security);
        var responses = secured.GetProperty("responses");
        Assert.True(responses.TryGetProperty("401", out var unauthorized));
        Assert.True(responses.TryGetProperty("403", out _));
        Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _));

        var open = paths.GetProperty("/test/echo").GetProperty("post");
        Assert.False(open.TryGetProperty("security", out _));
        Assert.True(open.GetProperty("responses").TryGetProperty("400", out var badRequest));
        Assert.True(badRequest.GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.False(open.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(open.TryGetProperty("requestBody", out _));

        var health = paths.GetProperty("/healthz").GetProperty("get").GetProperty("responses");
        Assert.False(health.TryGetProperty("400", out _));
        Assert.False(health.TryGetProperty("429", out _));
    }

    [Fact]
    public async Task The_docs_page_is_html()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Switchboard", html);
    }
}
